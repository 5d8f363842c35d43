#pragma once

// A real SMTP server for one test: runs tests/smtpserver.py (python3-aiosmtpd) on loopback,
// waits until it listens, and stops it when destroyed. Each test function starts its own, so
// tests running in parallel never share a port or a message folder.

#include <QByteArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

class SmtpFixture
{
public:
    enum class Tls { None, StartTls, Implicit };
    struct Options
    {
        QString user; // with a password: AUTH required (allowed without TLS)
        QString password;
        QStringList rejected; // RCPT TO answered with 550
        double delayDataSeconds = 0; // the reply to DATA comes this late
        Tls tls = Tls::None;
        QString certificateName = QStringLiteral("localhost"); // in its self-signed certificate
    };

    SmtpFixture();
    explicit SmtpFixture(const Options &options);
    ~SmtpFixture();
    SmtpFixture(const SmtpFixture &) = delete;
    SmtpFixture &operator=(const SmtpFixture &) = delete;

    bool isRunning() const { return m_port != 0; }
    QString errorString() const { return m_error; } // why it did not start
    quint16 port() const { return m_port; }
    QString certificateFile() const; // PEM; trust it to verify the server

    int messageCount() const;
    // Message n (1-based) as Python's email package parsed it, and its raw bytes.
    QJsonObject message(int number) const;
    QByteArray rawMessage(int number) const;

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};
