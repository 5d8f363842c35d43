#include "sluiceprocess.h"

#include <QEventLoop>
#include <QTimer>

namespace SluiceProcess {

QProcessEnvironment environment(const QMap<QString, QString> &changes)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : { "SLUICE_DATA_DIR", "DISPLAY", "WAYLAND_DISPLAY" })
        environment.remove(QLatin1String(name));
    environment.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    environment.insert(QStringLiteral("LANGUAGE"), QString());
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    for (auto it = changes.cbegin(); it != changes.cend(); ++it) {
        if (it.value().isEmpty())
            environment.remove(it.key());
        else
            environment.insert(it.key(), it.value());
    }
    return environment;
}

Output finish(QProcess &process, int timeoutMs)
{
    Output output;
    if (process.state() != QProcess::NotRunning) {
        QEventLoop loop;
        QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
        QObject::connect(&process, &QProcess::errorOccurred, &loop, [&] {
            if (process.state() == QProcess::NotRunning)
                loop.quit();
        });
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
        return output;
    }
    output.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    output.rawOut = process.readAllStandardOutput();
    output.out = QString::fromUtf8(output.rawOut);
    output.err = QString::fromUtf8(process.readAllStandardError());
    return output;
}

Output run(const QStringList &args, const QProcessEnvironment &environment, const QString &program,
    int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, args);
    return finish(process, timeoutMs);
}

} // namespace SluiceProcess
