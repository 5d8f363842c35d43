// escapeControls(): what text from a server, a step or a file looks like once shown on a
// terminal or in a widget. Every character that can steer a terminal or reorder text is
// escaped; tab, newline and printable text of any script stay as they are.

#include <QtTest>

#include "engine/displaytext.h"

using namespace Sluice;

class TestDisplayText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void escapeControls_data();
    void escapeControls();
    void everyControlIsEscaped();
};

void TestDisplayText::escapeControls_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("shown");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("plain") << QStringLiteral("HTTP 500 Internal Server Error")
                           << QStringLiteral("HTTP 500 Internal Server Error");
    QTest::newRow("tab and newline kept") << QStringLiteral("a\tb\nc") << QStringLiteral("a\tb\nc");
    QTest::newRow("colour") << QStringLiteral("\x1b[31mred\x1b[0m")
                            << QStringLiteral("\\x1b[31mred\\x1b[0m");
    QTest::newRow("carriage return")
        << QStringLiteral("done\rfake") << QStringLiteral("done\\rfake");
    QTest::newRow("bell") << QStringLiteral("ding\a") << QStringLiteral("ding\\x07");
    QTest::newRow("nul") << QString(QChar(0)) + QStringLiteral("x") << QStringLiteral("\\x00x");
    QTest::newRow("backspace") << QStringLiteral("ab\bc") << QStringLiteral("ab\\x08c");
    QTest::newRow("unit separator") << QStringLiteral("\x1f") << QStringLiteral("\\x1f");
    QTest::newRow("window title (OSC)")
        << QStringLiteral("\x1b]0;pwned\a") << QStringLiteral("\\x1b]0;pwned\\x07");
    QTest::newRow("DEL") << QStringLiteral("a\x7f") << QStringLiteral("a\\x7f");
    QTest::newRow("C1 CSI") << QStringLiteral("\u009b31m") << QStringLiteral("\\x9b31m");
    QTest::newRow("C1 NEL") << QStringLiteral("a\u0085b") << QStringLiteral("a\\x85b");
    QTest::newRow("C1 first and last")
        << QStringLiteral("\u0080\u009f") << QStringLiteral("\\x80\\x9f");
    QTest::newRow("no-break space kept") << QStringLiteral("\u00a0") << QStringLiteral("\u00a0");
    QTest::newRow("right-to-left override")
        << QStringLiteral("file\u202egnp.exe") << QStringLiteral("file\\u202egnp.exe");
    QTest::newRow("embeddings") << QStringLiteral("\u202a\u202b\u202c\u202d")
                                << QStringLiteral("\\u202a\\u202b\\u202c\\u202d");
    QTest::newRow("isolates") << QStringLiteral("\u2066\u2067\u2068\u2069")
                              << QStringLiteral("\\u2066\\u2067\\u2068\\u2069");
    QTest::newRow("Chinese and emoji kept")
        << QStringLiteral("运行失败 \U0001F600") << QStringLiteral("运行失败 \U0001F600");
    QTest::newRow("backslash kept") << QStringLiteral("C:\\x1b") << QStringLiteral("C:\\x1b");
}

void TestDisplayText::escapeControls()
{
    QFETCH(QString, text);
    QFETCH(QString, shown);
    QCOMPARE(Sluice::escapeControls(text), shown);
}

// Nothing below U+0020 but tab and newline, nor DEL, C1 or a bidi override, survives.
void TestDisplayText::everyControlIsEscaped()
{
    QString all;
    for (char16_t c = 0; c < 0x3000; ++c)
        all += QChar(c);
    const QString shown = Sluice::escapeControls(all);
    for (QChar c : shown) {
        const char16_t u = c.unicode();
        QVERIFY2(u >= 0x20 || u == u'\t' || u == u'\n', qPrintable(QString::number(u, 16)));
        QVERIFY2(u < 0x7f || u > 0x9f, qPrintable(QString::number(u, 16)));
        QVERIFY2(!(u >= 0x202a && u <= 0x202e) && !(u >= 0x2066 && u <= 0x2069),
            qPrintable(QString::number(u, 16)));
    }
}

QTEST_GUILESS_MAIN(TestDisplayText)
#include "tst_displaytext.moc"
