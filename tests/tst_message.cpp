// Message, the language-neutral form of a stored message: its English text whatever the
// translator, its translation once one is installed (a test catalogue built with lrelease),
// its key round trip, and keys from a hostile database shown as the stored text.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

#include "engine/message.h"

using namespace Sluice;

namespace {

const char *const Context = "Sluice::TestMessage";

// A small catalogue: two sentences and a plural, in Chinese.
const char *const CatalogueTs = R"(<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Sluice::TestMessage</name>
    <message>
        <source>upstream task &quot;%1&quot; failed</source>
        <translation>上游任务“%1”失败</translation>
    </message>
    <message>
        <source>Failed after %1 attempts: %2</source>
        <translation>尝试 %1 次后失败：%2</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) dropped</source>
        <translation><numerusform>丢弃了 %n 行</numerusform></translation>
    </message>
</context>
</TS>
)";

} // namespace

class TestMessage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void englishWhateverTheTranslator();
    void translatedWhenShown();
    void keyRoundTrip();
    void argumentsAreNotPlaceholders();
    void hostileKeysShowTheText_data();
    void hostileKeysShowTheText();

private:
    QTemporaryDir m_dir;
    QString m_qm;
};

void TestMessage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString ts = m_dir.filePath(QStringLiteral("test_zh_CN.ts"));
    m_qm = m_dir.filePath(QStringLiteral("test_zh_CN.qm"));
    QFile file(ts);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(CatalogueTs);
    file.close();
    QProcess lrelease;
    lrelease.start(QStringLiteral("/usr/lib/qt6/bin/lrelease"),
        { QStringLiteral("-silent"), ts, QStringLiteral("-qm"), m_qm });
    QVERIFY(lrelease.waitForFinished(30000));
    QCOMPARE(lrelease.exitCode(), 0);
    QVERIFY(QFile::exists(m_qm));
}

static Message failedAfter()
{
    return Message(Context, "Failed after %1 attempts: %2")
        .arg(3)
        .arg(Message(Context, "upstream task \"%1\" failed").arg(QStringLiteral("fetch")));
}

void TestMessage::englishWhateverTheTranslator()
{
    const QString english =
        QStringLiteral("Failed after 3 attempts: upstream task \"fetch\" failed");
    QCOMPARE(failedAfter().english(), english);
    QCOMPARE(failedAfter().translated(), english); // no translator installed
    QTranslator translator;
    QVERIFY(translator.load(m_qm));
    QVERIFY(QCoreApplication::installTranslator(&translator));
    QCOMPARE(failedAfter().english(), english);
    QCOMPARE(
        Message(Context, "%n line(s) dropped", 2).english(), QStringLiteral("2 line(s) dropped"));
    QCoreApplication::removeTranslator(&translator);
}

void TestMessage::translatedWhenShown()
{
    const QString key = failedAfter().key();
    QCOMPARE(Message::shown(QStringLiteral("stored"), key), failedAfter().english());
    QTranslator translator;
    QVERIFY(translator.load(m_qm));
    QVERIFY(QCoreApplication::installTranslator(&translator));
    // The nested message is translated too.
    QCOMPARE(Message::shown(QStringLiteral("stored"), key),
        QStringLiteral("尝试 3 次后失败：上游任务“fetch”失败"));
    QCOMPARE(Message(Context, "%n line(s) dropped", 5).translated(), QStringLiteral("丢弃了 5 行"));
    // Without a key, the stored text as it is.
    QCOMPARE(Message::shown(QStringLiteral("stored"), QString()), QStringLiteral("stored"));
    QCoreApplication::removeTranslator(&translator);
    QCOMPARE(Message::shown(QStringLiteral("stored"), key), failedAfter().english());
}

void TestMessage::keyRoundTrip()
{
    QVERIFY(Message::plain(QStringLiteral("as is")).key().isEmpty());
    QVERIFY(Message().isEmpty());
    const Message message = failedAfter();
    const std::optional<Message> back = Message::fromKey(message.key());
    QVERIFY(back);
    QCOMPARE(back->english(), message.english());
    QCOMPARE(back->key(), message.key());
    const Message plural(Context, "%n line(s) dropped", 7);
    QCOMPARE(Message::fromKey(plural.key())->english(), QStringLiteral("7 line(s) dropped"));
}

// An argument is text, never a pattern: "%2" in a server's words stays as it is.
void TestMessage::argumentsAreNotPlaceholders()
{
    const Message message =
        Message(Context, "Failed after %1 attempts: %2").arg(QStringLiteral("%2 %1")).arg(9);
    QCOMPARE(message.english(), QStringLiteral("Failed after %2 %1 attempts: 9"));
    QCOMPARE(Message::fromKey(message.key())->english(), message.english());
}

void TestMessage::hostileKeysShowTheText_data()
{
    QTest::addColumn<QString>("key");
    QString deep = QStringLiteral("\"x\"");
    for (int i = 0; i < 50; ++i)
        deep =
            QStringLiteral("{\"c\":\"a\",\"s\":\"%1\",\"a\":[%2]}").arg(QStringLiteral("%1"), deep);
    QTest::newRow("not JSON") << QStringLiteral("{not json");
    QTest::newRow("an array") << QStringLiteral("[\"a\"]");
    QTest::newRow("no source") << QStringLiteral("{\"c\":\"a\"}");
    QTest::newRow("a bad argument") << QStringLiteral("{\"c\":\"a\",\"s\":\"%1\",\"a\":[3]}");
    QTest::newRow("nested too deep") << deep;
}

void TestMessage::hostileKeysShowTheText()
{
    QFETCH(QString, key);
    QVERIFY(!Message::fromKey(key));
    QCOMPARE(Message::shown(QStringLiteral("stored"), key), QStringLiteral("stored"));
}

QTEST_GUILESS_MAIN(TestMessage)
#include "tst_message.moc"
