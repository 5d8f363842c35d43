// The `email` step of flow files (README, "Your own flows"): a real SMTP server on loopback
// (tests/smtpserver.py), the settings' SMTP options, an attachment from the flow's folder.

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include "flowsteprunner.h"
#include "smtpfixture.h"

using namespace Sluice;

class TestEmailStep : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sendsWithAttachment();
    void withoutRecipientsFails();
};

void TestEmailStep::sendsWithAttachment()
{
    SmtpFixture server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    FlowStepRunner runner;
    QVERIFY(
        runner.settings().setTexts({ { QStringLiteral("smtp.host"), QStringLiteral("127.0.0.1") },
            { QStringLiteral("smtp.port"), QString::number(server.port()) },
            { QStringLiteral("smtp.security"), QStringLiteral("none") },
            { QStringLiteral("smtp.from"), QStringLiteral("sluice@example.org") },
            { QStringLiteral("report.recipients"), QStringLiteral("ops@example.org") } }));
    const QByteArray attachment = "day,total\n2026-12-06,42\n";
    QFile file(runner.flowsPath() + QStringLiteral("/report-2026.csv"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(attachment);
    file.close();

    const FlowStepRunner::Outcome outcome = runner.run(
        "params:\n  year: 2026\n"
        "steps:\n"
        "  - id: mail\n"
        "    email:\n"
        "      subject: \"Report ${params.year} of ${flow.name}\"\n"
        "      body: \"Attached: ${params.year}.\"\n"
        "      attach: [\"report-${params.year}.csv\"]\n"
        "  - id: direct\n"
        "    email: { to: [\"a@example.org, b@example.org\", c@example.org], subject: Hi }\n");
    QVERIFY2(outcome.buildError.isEmpty(), qPrintable(outcome.buildError));
    QVERIFY2(outcome.state == RunState::Completed, qPrintable(outcome.message));
    QCOMPARE(outcome.outputs.value(QStringLiteral("mail")).toString(),
        QStringLiteral("ops@example.org"));
    QCOMPARE(outcome.outputs.value(QStringLiteral("direct")).toString(),
        QStringLiteral("a@example.org, b@example.org, c@example.org"));
    QTRY_COMPARE(server.messageCount(), 2);

    const QJsonObject first = server.message(1);
    QCOMPARE(first.value(QStringLiteral("rcpt_tos")).toArray().first().toString(),
        QStringLiteral("ops@example.org"));
    const QJsonObject message = first.value(QStringLiteral("message")).toObject();
    QCOMPARE(message.value(QStringLiteral("headers"))
                 .toObject()
                 .value(QStringLiteral("Subject"))
                 .toString(),
        QStringLiteral("Report 2026 of steps"));
    const QJsonArray parts = message.value(QStringLiteral("parts")).toArray();
    QCOMPARE(parts.size(), 2);
    QCOMPARE(QByteArray::fromBase64(
                 parts[0].toObject().value(QStringLiteral("payload_base64")).toString().toLatin1())
                 .trimmed(),
        QByteArray("Attached: 2026."));
    const QJsonObject file1 = parts[1].toObject();
    QCOMPARE(file1.value(QStringLiteral("filename")).toString(), QStringLiteral("report-2026.csv"));
    QCOMPARE(file1.value(QStringLiteral("content_type")).toString(), QStringLiteral("text/csv"));
    QCOMPARE(
        QByteArray::fromBase64(file1.value(QStringLiteral("payload_base64")).toString().toLatin1()),
        attachment);

    const QJsonArray to = server.message(2).value(QStringLiteral("rcpt_tos")).toArray();
    QCOMPARE(to.size(), 3);
}

void TestEmailStep::withoutRecipientsFails()
{
    FlowStepRunner runner;
    QVERIFY(
        runner.settings().setTexts({ { QStringLiteral("smtp.host"), QStringLiteral("127.0.0.1") },
            { QStringLiteral("smtp.security"), QStringLiteral("none") },
            { QStringLiteral("smtp.from"), QStringLiteral("sluice@example.org") } }));
    const FlowStepRunner::Outcome outcome =
        runner.run("steps:\n  - id: mail\n    email: { subject: Hi }\n");
    QCOMPARE(outcome.state, RunState::Failed);
    QVERIFY2(
        outcome.message.contains(QLatin1String("report.recipients")), qPrintable(outcome.message));
}

QTEST_GUILESS_MAIN(TestEmailStep)
#include "tst_emailstep.moc"
