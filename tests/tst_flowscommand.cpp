// `sluice flows check|new|show` and the file flows in `sluice flows`, run as a user would:
// exit codes, FILE:LINE:COL lines, templates that pass the check, --dot output.

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "sluiceprocess.h"

class TestFlowsCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void checkReportsEveryFile();
    void checkNamedFiles();
    void checkEmptyFolder();
    void newWritesEachTemplateThatPassesTheCheck_data();
    void newWritesEachTemplateThatPassesTheCheck();
    void newNeverOverwrites();
    void newRefusesBadInput_data();
    void newRefusesBadInput();
    void showPrintsStepsAndDot();
    void showRefusesInvalidAndUnknown();
    void listShowsFileFlows();
    void usageErrors_data();
    void usageErrors();

private:
    using Output = SluiceProcess::Output;
    Output run(const QStringList &args);
    QString dataDir() const { return m_dir->filePath(QStringLiteral("data")); }
    QString flowsDir() const { return m_dir->filePath(QStringLiteral("data/flows")); }
    QString write(const QString &name, const QByteArray &text);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestFlowsCommand::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

TestFlowsCommand::Output TestFlowsCommand::run(const QStringList &args)
{
    return SluiceProcess::run(
        QStringList{ QStringLiteral("--data-dir"), dataDir(), QStringLiteral("flows") } + args);
}

QString TestFlowsCommand::write(const QString &name, const QByteArray &text)
{
    QDir().mkpath(flowsDir());
    const QString path = QDir(flowsDir()).filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

void TestFlowsCommand::checkReportsEveryFile()
{
    const QString good = write(QStringLiteral("good.yaml"), "steps:\n  - id: a\n    run: echo a\n");
    const QString bad = write(
        QStringLiteral("bad.yaml"), "steps:\n  - id: a\n    run: echo ${HOME}\n    retry: 1\n");
    const QString warn =
        write(QStringLiteral("warn.yml"), "params:\n  n: 1\nsteps:\n  - id: a\n    run: echo a\n");
    const QString broken =
        write(QStringLiteral("broken.yaml"), "steps:\n  - id: a\n    run: \"echo\n");

    Output output = run({ QStringLiteral("check") });
    QCOMPARE(output.code, 1);
    QCOMPARE(output.out.split(u'\n', Qt::SkipEmptyParts),
        (QStringList{
            bad + ":3:15: error: unknown variable `${HOME}`; write `$${HOME}` for the shell's own",
            bad + ":4:5: error: unknown key `retry` in a step; did you mean `retries`?",
            broken + ":3:10: error: unterminated quoted text: the closing \" is missing",
            warn
                + ":2:3: warning: param `n` is never used (as `${params.n}`, `:n` in SQL or "
                  "`$SLUICE_PARAM_N`)" }));
    QVERIFY2(output.err.contains(QRegularExpression(
                 QStringLiteral("^4 flow file.* checked: 2 invalid, 3 error.*, 1 warning"))),
        qPrintable(output.err));

    // Warnings alone pass.
    QVERIFY(QFile::remove(bad));
    QVERIFY(QFile::remove(broken));
    output = run({ QStringLiteral("check") });
    QCOMPARE(output.code, 0);
    QCOMPARE(output.out.count(u'\n'), 1);
    Q_UNUSED(good);
}

void TestFlowsCommand::checkNamedFiles()
{
    const QString elsewhere = m_dir->filePath(QStringLiteral("mine.yaml"));
    QFile file(elsewhere);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("steps:\n  - id: a\n    run: echo a\n");
    file.close();
    Output output = run({ QStringLiteral("check"), elsewhere });
    QCOMPARE(output.code, 0);
    QCOMPARE(output.out, QString());

    output = run({ QStringLiteral("check"), elsewhere,
        m_dir->filePath(QStringLiteral("missing.yaml")), m_dir->path() });
    QCOMPARE(output.code, 1);
    QCOMPARE(output.out.split(u'\n', Qt::SkipEmptyParts),
        (QStringList{ m_dir->filePath(QStringLiteral("missing.yaml")) + ":1:1: error: no such file",
            m_dir->path() + ":1:1: error: not a regular file" }));
}

void TestFlowsCommand::checkEmptyFolder()
{
    const Output output = run({ QStringLiteral("check") });
    QCOMPARE(output.code, 0);
    QVERIFY2(output.out.startsWith(QLatin1String("no flow files in ")), qPrintable(output.out));
}

void TestFlowsCommand::newWritesEachTemplateThatPassesTheCheck_data()
{
    QTest::addColumn<QString>("templateName");
    QTest::newRow("default") << QString();
    for (const char *name : { "shell", "sql", "http-to-table", "csv-import", "export-email" })
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestFlowsCommand::newWritesEachTemplateThatPassesTheCheck()
{
    QFETCH(QString, templateName);
    QStringList args = { QStringLiteral("new"), QStringLiteral("starter") };
    if (!templateName.isEmpty())
        args << QStringLiteral("--template") << templateName;
    // flows/ does not exist yet: `new` creates it.
    QVERIFY(!QFileInfo::exists(flowsDir()));
    Output output = run(args);
    QCOMPARE(output.code, 0);
    const QString path = QDir(flowsDir()).filePath(QStringLiteral("starter.yaml"));
    QCOMPARE(output.out, path + u'\n');
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.startsWith("# "));

    // No error and no warning: a starter is an example to follow.
    output = run({ QStringLiteral("check") });
    QCOMPARE(output.code, 0);
    QCOMPARE(output.out, QString());
}

void TestFlowsCommand::newNeverOverwrites()
{
    const QString path = write(QStringLiteral("mine.yml"), "keep: me\n");
    Output output = run({ QStringLiteral("new"), QStringLiteral("mine") });
    QCOMPARE(output.code, 2);
    QVERIFY2(output.err.contains(path + QStringLiteral(" already exists")), qPrintable(output.err));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("keep: me\n"));

    QCOMPARE(run({ QStringLiteral("new"), QStringLiteral("other") }).code, 0);
    output = run({ QStringLiteral("new"), QStringLiteral("other"), QStringLiteral("--template"),
        QStringLiteral("sql") });
    QCOMPARE(output.code, 2);
    QVERIFY2(
        output.err.contains(QLatin1String("other.yaml already exists")), qPrintable(output.err));
}

void TestFlowsCommand::newRefusesBadInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no name") << QStringList{ "new" } << "give one flow name";
    QTest::newRow("bad name") << QStringList{ "new", "../escape" } << "bad flow name \"../escape\"";
    QTest::newRow("built-in name")
        << QStringList{ "new", "demo" } << "the name \"demo\" is taken by a built-in flow";
    QTest::newRow("unknown template") << QStringList{ "new", "x", "--template", "cobol" }
                                      << "unknown template \"cobol\"; the templates are shell, sql";
}

void TestFlowsCommand::newRefusesBadInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Output output = run(args);
    QCOMPARE(output.code, 2);
    QVERIFY2(output.err.contains(message), qPrintable(output.err));
    QVERIFY(QDir(flowsDir()).entryList(QDir::Files).isEmpty());
}

void TestFlowsCommand::showPrintsStepsAndDot()
{
    write(QStringLiteral("pipeline.yaml"),
        "description: Fetch and load\n"
        "params:\n  day: { type: date, default: \"${run.date}\" }\n"
        "schedule: { cron: \"30 6 * * *\", tz: Europe/Berlin }\n"
        "steps:\n"
        "  - id: fetch\n    run: echo ${params.day}\n"
        "  - id: load\n    needs: fetch\n    sql: select 1\n"
        "  - id: other\n    needs: []\n    run: [\"true\"]\n"
        "  - id: mail\n    needs: [load, other]\n    email: { subject: done }\n");
    Output output = run({ QStringLiteral("show"), QStringLiteral("pipeline") });
    QCOMPARE(output.code, 0);
    const QStringList lines = output.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.value(0),
        QStringLiteral("flow pipeline (%1)")
            .arg(QDir(flowsDir()).filePath(QStringLiteral("pipeline.yaml"))));
    QCOMPARE(lines.value(1), QStringLiteral("description: Fetch and load"));
    QVERIFY2(lines.value(2).startsWith(
                 QLatin1String("schedule: 30 6 * * * (at 06:30 every day (Europe/Berlin))")),
        qPrintable(lines.value(2)));
    QCOMPARE(lines.value(3), QStringLiteral("params: day (date, default ${run.date})"));
    QCOMPARE(lines.mid(4),
        (QStringList{ "steps:", "  fetch  run", "  load   sql    needs fetch", "  other  run",
            "  mail   email  needs load, other" }));

    output = run({ QStringLiteral("show"), QStringLiteral("pipeline"), QStringLiteral("--dot") });
    QCOMPARE(output.code, 0);
    QCOMPARE(output.out,
        QStringLiteral("digraph \"pipeline\" {\n"
                       "    rankdir=LR;\n"
                       "    node [shape=box];\n"
                       "    \"fetch\" [label=\"fetch\\nrun\"];\n"
                       "    \"load\" [label=\"load\\nsql\"];\n"
                       "    \"other\" [label=\"other\\nrun\"];\n"
                       "    \"mail\" [label=\"mail\\nemail\"];\n"
                       "    \"fetch\" -> \"load\";\n"
                       "    \"load\" -> \"mail\";\n"
                       "    \"other\" -> \"mail\";\n"
                       "}\n"));

    // A built-in flow shows its tasks.
    output = run({ QStringLiteral("show"), QStringLiteral("demo"), QStringLiteral("--dot") });
    QCOMPARE(output.code, 0);
    QVERIFY2(output.out.startsWith(QLatin1String("digraph \"demo\" {")), qPrintable(output.out));
    QVERIFY2(output.out.contains(QLatin1String(" -> ")), qPrintable(output.out));
}

void TestFlowsCommand::showRefusesInvalidAndUnknown()
{
    const QString path = write(QStringLiteral("bad.yaml"), "steps:\n  - id: a\n");
    Output output = run({ QStringLiteral("show"), QStringLiteral("bad") });
    QCOMPARE(output.code, 2);
    QVERIFY2(output.err.contains(path + QStringLiteral(":2:9: error: step `a` has no kind")),
        qPrintable(output.err));
    QCOMPARE(output.out, QString());

    output = run({ QStringLiteral("show"), QStringLiteral("nope") });
    QCOMPARE(output.code, 2);
    QVERIFY2(output.err.contains(QLatin1String("unknown flow \"nope\"")), qPrintable(output.err));
}

void TestFlowsCommand::listShowsFileFlows()
{
    write(QStringLiteral("hourly.yaml"),
        "description: Every hour\nschedule: \"0 * * * *\"\nsteps:\n  - id: a\n    run: echo a\n");
    write(QStringLiteral("broken.yaml"), "steps:\n  - id: a\n    rn: echo\n");
    const Output output = run({});
    QCOMPARE(output.code, 0);
    QVERIFY2(output.out.contains(QRegularExpression(
                 QStringLiteral("\\nhourly +file: Every hour +0 \\* \\* \\* \\* "
                                "+\\d{4}-\\d\\d-\\d\\dT\\d\\d:00:00\\+00:00 +-\\n"))),
        qPrintable(output.out));
    QVERIFY2(
        output.out.contains(QRegularExpression(QStringLiteral(
            "\\nbroken +invalid file: 3:5: unknown key `rn` in a step; did you mean `run`\\? +- +- "
            "+-\\n"))),
        qPrintable(output.out));
    QVERIFY2(output.out.contains(QRegularExpression(QStringLiteral("\\ndemo "))),
        qPrintable(output.out));
}

void TestFlowsCommand::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown subcommand")
        << QStringList{ "demo" }
        << "unknown subcommand \"demo\"; \"flows\" takes check, new or show";
    QTest::newRow("dot on check") << QStringList{ "check", "--dot" }
                                  << "the option \"--dot\" does not apply to \"flows check\"";
    QTest::newRow("template on show") << QStringList{ "show", "demo", "--template",
        "sql" } << "the option \"--template\" does not apply to \"flows show\"";
    QTest::newRow("show without flow") << QStringList{ "show" } << "give one flow";
}

void TestFlowsCommand::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Output output = run(args);
    QCOMPARE(output.code, 2);
    QVERIFY2(output.err.contains(message), qPrintable(output.err));
}

QTEST_GUILESS_MAIN(TestFlowsCommand)
#include "tst_flowscommand.moc"
