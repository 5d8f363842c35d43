// ChildProcess against real /bin/sh children: output and exit status, cancellation of a whole
// process tree (checked by pid), SIGTERM ignored until SIGKILL, leftovers of a finished
// program, missing programs and directories, long lines and the output limit.

#include <algorithm>
#include <atomic>
#include <thread>

#include <signal.h>

#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "steps/childprocess.h"

using namespace Sluice;

namespace {

struct Captured
{
    QStringList output;
    QStringList errors;
};

ChildProcess::Options shell(const QString &script, const QString &directory = {})
{
    ChildProcess::Options options;
    options.arguments = { QStringLiteral("/bin/sh"), QStringLiteral("-c"), script };
    options.workingDirectory = directory;
    options.environment = QProcessEnvironment::systemEnvironment().toStringList();
    return options;
}

Result<ChildProcess::Outcome> run(
    const ChildProcess::Options &options, Captured &captured, const CancellationToken &token = {})
{
    return ChildProcess::run(options, token, [&](ChildProcess::Stream stream, const QString &line) {
        (stream == ChildProcess::Stream::Output ? captured.output : captured.errors) << line;
    });
}

// Whether a process of that id still runs (a zombie counts as gone).
bool isRunning(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close >= 0 && text.size() > close + 2 && text.at(close + 2) != 'Z'
        && text.at(close + 2) != 'X';
}

// Cancels the token, from a thread of its own, once every file exists (at most after 5 s).
std::thread cancelOnceWritten(const QStringList &files, const CancellationToken &token)
{
    return std::thread([files, token] {
        const auto written = [&] {
            return std::all_of(files.cbegin(), files.cend(),
                [](const QString &file) { return QFileInfo(file).size() > 0; });
        };
        for (int i = 0; i < 500 && !written(); ++i)
            QThread::msleep(10);
        token.cancel();
    });
}

qint64 readPid(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return file.readAll().trimmed().toLongLong();
}

} // namespace

class TestChildProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void outputAndExitCode()
    {
        Captured captured;
        Result<ChildProcess::Outcome> outcome =
            run(shell(QStringLiteral("printf 'one\\ntwo\\n'; echo oops >&2; printf tail; exit 3")),
                captured);
        QVERIFY2(outcome, qPrintable(outcome ? QString() : outcome.error().message()));
        QVERIFY(outcome->exited);
        QCOMPARE(outcome->exitCode, 3);
        QVERIFY(!outcome->stopped);
        QCOMPARE(outcome->output, QByteArray("one\ntwo\ntail"));
        QCOMPARE(captured.output, (QStringList{ "one", "two", "tail" }));
        QCOMPARE(captured.errors, QStringList{ "oops" });
        QCOMPARE(outcome->lastErrorLine, QStringLiteral("oops"));
        QCOMPARE(ChildProcess::describe(*outcome), QStringLiteral("exited 3"));
    }

    void argumentsReachTheProgramVerbatim()
    {
        QTemporaryDir dir;
        const QString hostile = QStringLiteral("a'b\"c$(touch x)`touch y` \\ $HOME\n;rm -rf z");
        ChildProcess::Options options;
        options.arguments = { QStringLiteral("printf"), QStringLiteral("%s"), hostile };
        options.workingDirectory = dir.path();
        options.environment = { QStringLiteral("PATH=/usr/bin:/bin") };
        Captured captured;
        Result<ChildProcess::Outcome> outcome = run(options, captured);
        QVERIFY(outcome);
        QCOMPARE(QString::fromUtf8(outcome->output), hostile);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("x"))));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("y"))));
    }

    void environmentAndWorkingDirectory()
    {
        QTemporaryDir dir;
        ChildProcess::Options options =
            shell(QStringLiteral("pwd; echo \"$ONLY\"; echo \"$HOME\""), dir.path());
        options.environment = { QStringLiteral("ONLY=here"), QStringLiteral("PATH=/usr/bin:/bin") };
        Captured captured;
        Result<ChildProcess::Outcome> outcome = run(options, captured);
        QVERIFY(outcome);
        QCOMPARE(captured.output,
            (QStringList{ QFileInfo(dir.path()).canonicalFilePath(), "here", QString() }));
    }

    void signalEndsIt()
    {
        Captured captured;
        Result<ChildProcess::Outcome> outcome = run(shell(QStringLiteral("kill -9 $$")), captured);
        QVERIFY(outcome);
        QVERIFY(!outcome->exited);
        QCOMPARE(outcome->signal, int(SIGKILL));
        QCOMPARE(ChildProcess::describe(*outcome), QStringLiteral("killed by signal 9 (SIGKILL)"));
    }

    void cancelEndsTheWholeTree()
    {
        QTemporaryDir dir;
        const QString pids = dir.filePath(QStringLiteral("pids"));
        CancellationToken token(std::make_shared<std::atomic<bool>>(false));
        // A child in the background, a grandchild under a subshell, and the shell itself.
        ChildProcess::Options options =
            shell(QStringLiteral("sleep 300 & echo $! > pids.1; (sleep 300 & echo $! > pids.2; "
                                 "wait) & echo $$ > pids; wait"),
                dir.path());
        std::thread canceller = cancelOnceWritten({ pids, pids + ".1", pids + ".2" }, token);
        Captured captured;
        Result<ChildProcess::Outcome> outcome = run(options, captured, token);
        canceller.join();
        QVERIFY(outcome);
        QVERIFY(outcome->stopped);
        QCOMPARE(outcome->signal, int(SIGTERM));
        for (const QString &file : { pids, pids + ".1", pids + ".2" }) {
            const qint64 pid = readPid(file);
            QVERIFY2(pid > 0, qPrintable(file));
            QTRY_VERIFY2_WITH_TIMEOUT(!isRunning(pid), qPrintable(file), 2000);
        }
    }

    void termIgnoredThenKilled()
    {
        QTemporaryDir dir;
        CancellationToken token(std::make_shared<std::atomic<bool>>(false));
        ChildProcess::Options options =
            shell(QStringLiteral("trap '' TERM; echo ready > ready; while :; do sleep 0.05; done"),
                dir.path());
        options.killGraceMs = 200;
        std::thread canceller = cancelOnceWritten({ dir.filePath(QStringLiteral("ready")) }, token);
        Captured captured;
        Result<ChildProcess::Outcome> outcome = run(options, captured, token);
        canceller.join();
        QVERIFY(outcome);
        QVERIFY(outcome->stopped);
        QCOMPARE(outcome->signal, int(SIGKILL));
    }

    void leftoversOfAFinishedProgramEnd()
    {
        QTemporaryDir dir;
        Captured captured;
        // The background child keeps stdout open: the run must still end, and the child too.
        Result<ChildProcess::Outcome> outcome = run(
            shell(QStringLiteral("sleep 300 & echo $! > left; echo done"), dir.path()), captured);
        QVERIFY(outcome);
        QVERIFY(outcome->exited);
        QCOMPARE(outcome->exitCode, 0);
        QCOMPARE(captured.output, QStringList{ "done" });
        const qint64 pid = readPid(dir.filePath(QStringLiteral("left")));
        QVERIFY(pid > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!isRunning(pid), 2000);
    }

    void missingProgramOrDirectory()
    {
        ChildProcess::Options options;
        options.arguments = { QStringLiteral("no-such-program-sluice") };
        options.environment = { QStringLiteral("PATH=/usr/bin:/bin") };
        Captured captured;
        Result<ChildProcess::Outcome> outcome = run(options, captured);
        QVERIFY(!outcome);
        QCOMPARE(outcome.error().code, ErrorCode::Permanent);
        QVERIFY(outcome.error().message().contains(QLatin1String("no-such-program-sluice")));

        options.arguments = { QStringLiteral("/nonexistent/tool") };
        outcome = run(options, captured);
        QVERIFY(!outcome);
        QCOMPARE(outcome.error().code, ErrorCode::Permanent);
        QVERIFY(outcome.error().message().contains(QLatin1String("/nonexistent/tool")));

        outcome = run(shell(QStringLiteral("true"), QStringLiteral("/nonexistent-dir")), captured);
        QVERIFY(!outcome);
        QVERIFY(outcome.error().message().contains(QLatin1String("/nonexistent-dir")));
    }

    void longLinesAndTheOutputLimit()
    {
        ChildProcess::Options options =
            shell(QStringLiteral("head -c 100000 /dev/zero | tr '\\0' x; echo; echo after"));
        options.lineLimit = 1000;
        options.outputLimit = 5000;
        Captured captured;
        Result<ChildProcess::Outcome> outcome = run(options, captured);
        QVERIFY(outcome);
        QCOMPARE(captured.output.size(), 2);
        QCOMPARE(captured.output.at(0), QString(1000, QLatin1Char('x')) + QStringLiteral(" [...]"));
        QCOMPARE(captured.output.at(1), QStringLiteral("after"));
        QCOMPARE(outcome->output.size(), 5000);
        QVERIFY(outcome->outputTruncated);
    }

    void stdinIsEmpty()
    {
        Captured captured;
        Result<ChildProcess::Outcome> outcome =
            run(shell(QStringLiteral("cat; echo end")), captured);
        QVERIFY(outcome);
        QCOMPARE(captured.output, QStringList{ "end" });
    }
};

QTEST_GUILESS_MAIN(TestChildProcess)
#include "tst_childprocess.moc"
