// Prints how long reading and checking a flows folder takes: 500 files of 20 steps each, of
// every kind, with params, variables and a needs graph (the README: < 250 ms). Figures only.

#include <ctime>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

#include "flowfile/flowfilereader.h"

using namespace Sluice;

namespace {

QByteArray flowText(int number)
{
    QByteArray text = "# a generated flow\n"
                      "description: Generated flow "
        + QByteArray::number(number)
        + "\n"
          "params:\n"
          "  day: { type: date, default: \"${run.date}\" }\n"
          "  region: { type: string, choices: [eu, us, asia], default: eu }\n"
          "  limit: 1000\n"
          "schedule: { cron: \"*/15 9-17 * * MON-FRI\", tz: Europe/Berlin, misfire: run-once }\n"
          "timeout: 30m\n"
          "max-parallel: 4\n"
          "defaults: { retries: 2, retry-delay: 10s, backoff: exponential, timeout: 5m }\n"
          "env: { LC_ALL: C.UTF-8, REGION: \"${params.region}\" }\n"
          "steps:\n";
    for (int i = 0; i < 20; ++i) {
        const QByteArray id = "step-" + QByteArray::number(i);
        const QByteArray needs = i == 0 ? "[]" : "[step-" + QByteArray::number(i - 1) + "]";
        text += "  - id: " + id + "\n    needs: " + needs + "\n";
        switch (i % 5) {
        case 0:
            text += "    run: |\n"
                    "      echo \"day ${params.day} limit ${params.limit}\" > out-"
                + id
                + ".txt\n"
                  "      test -s out-"
                + id + ".txt && printf '%s\\n' \"$HOME\"\n";
            break;
        case 1:
            text += "    sql: |\n"
                    "      insert or replace into summary(day, region, total)\n"
                    "      select :day, region, sum(amount) from sales where day = :day group by "
                    "region;\n";
            break;
        case 2:
            text += "    http:\n"
                    "      url: \"https://example.test/api?day=${params.day}\"\n"
                    "      rows: /data\n"
                    "      columns: { id: /id, price: { pointer: /p, type: real } }\n"
                    "      into: prices\n"
                    "      key: [id]\n";
            break;
        case 3:
            text += "    export: { query: \"select * from summary where day = :day\", to: "
                    "\"out/summary-${params.day}.csv\" }\n";
            break;
        case 4:
            text += "    retries: 1\n    timeout: 2m\n"
                    "    email: { subject: \"Report ${params.day}\", attach: "
                    "[\"${steps.step-3.output}\"] }\n";
            break;
        }
    }
    return text;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    if (argc == 3 && qstrcmp(argv[1], "--write-sample") == 0) { // one generated file, to inspect
        QFile sample(QString::fromLocal8Bit(argv[2]));
        return sample.open(QIODevice::WriteOnly) && sample.write(flowText(0)) > 0 ? 0 : 1;
    }
    QTemporaryDir dir;
    if (!dir.isValid())
        return 1;
    const int files = 500;
    for (int i = 0; i < files; ++i) {
        QFile file(dir.filePath(QStringLiteral("flow-%1.yaml").arg(i)));
        if (!file.open(QIODevice::WriteOnly) || file.write(flowText(i)) < 0)
            return 1;
    }
    const QStringList builtins = { QStringLiteral("demo"), QStringLiteral("daily-report") };
    qint64 best = -1;
    qint64 bestCpu = -1; // the machine may be shared: CPU time tells this program's own work
    for (int round = 0; round < 5; ++round) {
        QElapsedTimer timer;
        timer.start();
        const std::clock_t cpuStart = std::clock();
        const QList<CheckedFlowFile> checked = FlowFileReader::readFolder(dir.path(), builtins);
        const qint64 elapsed = timer.elapsed();
        const qint64 cpu = qint64(std::clock() - cpuStart) * 1000 / CLOCKS_PER_SEC;
        int invalid = 0;
        for (const CheckedFlowFile &file : checked)
            invalid += file.isValid() ? 0 : 1;
        if (checked.size() != files || invalid != 0) {
            out << "unexpected: " << checked.size() << " files, " << invalid << " invalid\n";
            if (!checked.isEmpty() && checked.first().firstError())
                out << checked.first().firstError()->toString() << '\n';
            return 1;
        }
        best = best < 0 ? elapsed : std::min(best, elapsed);
        bestCpu = bestCpu < 0 ? cpu : std::min(bestCpu, cpu);
        out << QStringLiteral("round %1: %2 ms (%3 ms CPU)\n").arg(round + 1).arg(elapsed).arg(cpu);
    }
    out << QStringLiteral(
        "load and check %1 files of 20 steps: %2 ms at best, %3 ms CPU (target < 250 ms)\n")
               .arg(files)
               .arg(best)
               .arg(bestCpu);
    return 0;
}
