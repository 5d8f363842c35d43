#include "smtpfixture.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>

SmtpFixture::SmtpFixture()
    : SmtpFixture(Options())
{ }

SmtpFixture::SmtpFixture(const Options &options)
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary folder: ") + m_dir.errorString();
        return;
    }
    QStringList args = { QStringLiteral(SLUICE_SMTP_SERVER), QStringLiteral("--dir"),
        m_dir.path() };
    if (!options.user.isEmpty())
        args << QStringLiteral("--auth") << options.user + QLatin1Char(':') + options.password;
    for (const QString &address : options.rejected)
        args << QStringLiteral("--reject") << address;
    if (options.delayDataSeconds > 0)
        args << QStringLiteral("--delay-data") << QString::number(options.delayDataSeconds);
    if (options.tls == Tls::StartTls)
        args << QStringLiteral("--starttls");
    else if (options.tls == Tls::Implicit)
        args << QStringLiteral("--tls");
    args << QStringLiteral("--cert-name") << options.certificateName;

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("PYTHONIOENCODING"), QStringLiteral("utf-8"));
    environment.insert(QStringLiteral("PYTHONUTF8"), QStringLiteral("1"));
    m_process.setProcessEnvironment(environment);
    // Debian's python3 has aiosmtpd; a pyenv shim on PATH may not.
    m_process.start(QStringLiteral("/usr/bin/python3"), args);
    if (!m_process.waitForStarted(10000)) {
        m_error = QStringLiteral("cannot start /usr/bin/python3: ") + m_process.errorString();
        return;
    }

    QByteArray output;
    const QDeadlineTimer deadline(30000);
    while (!deadline.hasExpired()) {
        if (m_process.canReadLine()) {
            const QByteArray line = m_process.readLine().trimmed();
            if (line.startsWith("READY ")) {
                m_port = quint16(line.mid(6).toUInt());
                return;
            }
            output += line + '\n';
            continue;
        }
        if (m_process.state() != QProcess::Running)
            break;
        m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    m_error = QStringLiteral("smtpserver.py did not become ready: ") + QString::fromUtf8(output)
        + QString::fromUtf8(m_process.readAllStandardError());
}

SmtpFixture::~SmtpFixture()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.closeWriteChannel(); // the server stops when its stdin ends
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString SmtpFixture::certificateFile() const
{
    return m_dir.filePath(QStringLiteral("cert.pem"));
}

int SmtpFixture::messageCount() const
{
    return int(QDir(m_dir.path()).entryList({ QStringLiteral("*.json") }, QDir::Files).size());
}

QJsonObject SmtpFixture::message(int number) const
{
    QFile file(m_dir.filePath(QString::number(number) + QStringLiteral(".json")));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QByteArray SmtpFixture::rawMessage(int number) const
{
    QFile file(m_dir.filePath(QString::number(number) + QStringLiteral(".eml")));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
