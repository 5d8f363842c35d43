#include "sluiceprocess.h"

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
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return output;
    }
    output.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    output.out = QString::fromUtf8(process.readAllStandardOutput());
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
