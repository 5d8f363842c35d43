// The variables of flow files: `${...}` parsing and plain substitution (VariableTemplate), and
// ShellQuoter proven with a real /bin/sh: a hostile value substituted bare, in "..." and in
// '...' reaches the command byte for byte and runs nothing.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "flowfile/shellquoter.h"
#include "flowfile/variabletemplate.h"

using namespace Sluice;

class TestFlowVariables : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesVariables_data();
    void parsesVariables();
    void substitutesWithoutRescanning();
    void namesVariables_data();
    void namesVariables();
    void shellReadsExactlyTheValue_data();
    void shellReadsExactlyTheValue();
    void shellRefusesUnsafeContexts_data();
    void shellRefusesUnsafeContexts();
};

void TestFlowVariables::parsesVariables_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("substituted"); // each variable replaced by <name>
    QTest::addColumn<int>("problems");
    QTest::newRow("plain") << "a ${params.x} b"
                           << "a <params.x> b" << 0;
    QTest::newRow("literal") << "$${HOME} and ${run.id}"
                             << "${HOME} and <run.id>" << 0;
    QTest::newRow("other dollars") << "$1 $HOME $$ $(date) $ {x} $"
                                   << "$1 $HOME $$ $(date) $ {x} $" << 0;
    QTest::newRow("adjacent") << "${a}${b}"
                              << "<a><b>" << 0;
    QTest::newRow("unterminated") << "x ${params.a"
                                  << "x ${params.a" << 1;
    QTest::newRow("unterminated before another") << "${a ${b}"
                                                 << "${a <b>" << 1;
    QTest::newRow("not across lines") << "${a\n}"
                                      << "${a\n}" << 1;
    QTest::newRow("triple dollar") << "$$${x}"
                                   << "$${x}" << 0; // `$` then the literal `${`
}

void TestFlowVariables::parsesVariables()
{
    QFETCH(QString, text);
    QFETCH(QString, substituted);
    QFETCH(int, problems);
    const VariableTemplate parsed = VariableTemplate::parse(text);
    QCOMPARE(
        parsed.substitute([](const QString &name) { return u'<' + name + u'>'; }), substituted);
    QCOMPARE(parsed.problems().size(), problems);
    for (const VariableTemplate::Piece &piece : parsed.pieces()) {
        if (piece.isVariable)
            QCOMPARE(text.mid(piece.offset, piece.length), QStringLiteral("${%1}").arg(piece.text));
    }
}

void TestFlowVariables::substitutesWithoutRescanning()
{
    const VariableTemplate parsed = VariableTemplate::parse(QStringLiteral("[${params.a}]"));
    QCOMPARE(parsed.substitute([](const QString &) { return QStringLiteral("${params.b} $${x}"); }),
        QStringLiteral("[${params.b} $${x}]"));
    const ShellQuoter::Substitution shell =
        ShellQuoter::substitute(QStringLiteral("echo ${params.a}"),
            [](const QString &) { return QStringLiteral("${run.id}"); });
    QCOMPARE(shell.text, QStringLiteral("echo '${run.id}'"));
}

void TestFlowVariables::namesVariables_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("argument");
    using K = FlowVariable::Kind;
    QTest::newRow("param") << "params.day" << int(K::Param) << "day";
    QTest::newRow("param with dash") << "params.max-rows" << int(K::Param) << "max-rows";
    QTest::newRow("run.id") << "run.id" << int(K::RunId) << "";
    QTest::newRow("run.prev-time") << "run.prev-time" << int(K::RunPrevTime) << "";
    QTest::newRow("flow.dir") << "flow.dir" << int(K::FlowDir) << "";
    QTest::newRow("data-dir") << "data-dir" << int(K::DataDir) << "";
    QTest::newRow("env") << "env.PATH" << int(K::Env) << "PATH";
    QTest::newRow("step output") << "steps.load.output" << int(K::StepOutput) << "load";
    QTest::newRow("HOME") << "HOME" << int(K::Unknown) << "";
    QTest::newRow("empty") << "" << int(K::Unknown) << "";
    QTest::newRow("params alone") << "params." << int(K::Unknown) << "";
    QTest::newRow("step without output") << "steps.load" << int(K::Unknown) << "";
    QTest::newRow("spaces") << " params.x " << int(K::Unknown) << "";
}

void TestFlowVariables::namesVariables()
{
    QFETCH(QString, name);
    QFETCH(int, kind);
    QFETCH(QString, argument);
    const FlowVariable variable = FlowVariable::parse(name);
    QCOMPARE(int(variable.kind), kind);
    QCOMPARE(variable.argument, argument);
}

void TestFlowVariables::shellReadsExactlyTheValue_data()
{
    QTest::addColumn<QString>("script"); // writes what it read to the file `out`
    QTest::addColumn<QString>("prefix"); // what it writes before and after the value
    QTest::addColumn<QString>("suffix");
    const QStringList contexts[] = {
        { "bare", "printf %s ${params.v} > out", "", "" },
        { "double quotes", "printf %s \"${params.v}\" > out", "", "" },
        { "single quotes", "printf %s '${params.v}' > out", "", "" },
        { "inside double quotes", "printf %s \"<${params.v}>\" > out", "<", ">" },
        { "inside single quotes", "printf %s 'x ${params.v} y' > out", "x ", " y" },
        { "glued to a word", "printf %s pre${params.v}post > out", "pre", "post" },
        { "command substitution", "printf %s \"$(printf %s ${params.v})\" > out", "", "" },
        { "after a comment with a quote", "# don't\nprintf %s \"${params.v}\" > out", "", "" },
        { "after an escaped quote", "printf %s \\\"${params.v}\\' > out", "\"", "'" },
        { "after the shell's own expansion", "v=1; printf %s \"$${v}${params.v}\" > out", "1", "" },
        { "twice", "printf %s ${params.v}'|'\"${params.v}\" > out", "", "" },
        { "in a case", "case x in x) printf %s \"${params.v}\" > out;; esac", "", "" },
        { "after a word case", "echo case >/dev/null; printf %s \"$(printf %s ${params.v})\" > out",
            "", "" },
    };
    const QString values[] = {
        QStringLiteral("a'b\"c$(touch x)\\`touch y`"),
        QStringLiteral("line one\nline two; touch z"),
        QStringLiteral("back\\slash\\\\ \\n"),
        QStringLiteral("$HOME $$ ${IFS} $1 *"),
        QStringLiteral("`touch w`"),
        QStringLiteral("  spaced\ttabbed  "),
        QStringLiteral("'; touch v; '"),
        QStringLiteral("\"; touch u; \""),
        QStringLiteral("-n"),
        QStringLiteral("\u00e9t\u00e9 \u6c34"),
        QString(),
    };
    for (const QStringList &context : contexts) {
        for (qsizetype i = 0; i < qsizetype(std::size(values)); ++i) {
            QTest::addRow("%s, value %d", qPrintable(context.at(0)), int(i))
                << context.at(1) << context.at(2) + u'\x01' + values[i] << context.at(3);
        }
    }
}

void TestFlowVariables::shellReadsExactlyTheValue()
{
    QFETCH(QString, script);
    QFETCH(QString, prefix); // "<before>\x01<value>"
    QFETCH(QString, suffix);
    const QString before = prefix.section(u'\x01', 0, 0);
    const QString value = prefix.section(u'\x01', 1);
    const bool twice =
        QTest::currentDataTag() && QByteArray(QTest::currentDataTag()).startsWith("twice");

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const ShellQuoter::Substitution substitution = ShellQuoter::substitute(script,
        [&](const QString &name) { return name == u"params.v" ? value : QStringLiteral("?"); });
    QVERIFY2(substitution.problems.isEmpty(), qPrintable(substitution.problems.value(0).message));

    QProcess shell;
    shell.setWorkingDirectory(dir.path());
    shell.start(QStringLiteral("/bin/sh"), { QStringLiteral("-c"), substitution.text });
    QVERIFY(shell.waitForFinished(10000));
    QVERIFY2(shell.exitCode() == 0, shell.readAllStandardError().constData());

    QFile out(dir.filePath(QStringLiteral("out")));
    QVERIFY(out.open(QIODevice::ReadOnly));
    const QString expected = twice ? value + QStringLiteral("|") + value : before + value + suffix;
    QCOMPARE(QString::fromUtf8(out.readAll()), expected);
    // Nothing of the value ran: the folder holds `out` alone.
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
        QStringList{ QStringLiteral("out") });
}

void TestFlowVariables::shellRefusesUnsafeContexts_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("offset");
    QTest::newRow("backquotes") << "echo `echo ${params.v}`"
                                << "backquotes" << 11;
    QTest::newRow("arithmetic") << "echo $((1 + ${params.v}))"
                                << "$((...))" << 12;
    QTest::newRow("shell's own expansion") << "echo $${x:-${params.v}}"
                                           << "the shell's own" << 11;
    QTest::newRow("here-document") << "cat <<EOF\n${params.v}\nEOF"
                                   << "here-document" << 10;
    QTest::newRow("quoted here-document") << "cat <<'EOF'\na ${params.v}\nEOF\n"
                                          << "here-document" << 14;
    QTest::newRow("backslash") << "echo \\${params.v}"
                               << "backslash" << 6;
    QTest::newRow("backslash in double quotes") << "echo \"\\${params.v}\""
                                                << "backslash" << 7;
    // The `)` of `a)` looks like the end of `$(`: the scanner would think it is back inside
    // the double quotes while the shell reads bare words.
    QTest::newRow("case in command substitution")
        << "echo \"$(case a in a) echo ${params.v};; esac)\""
        << "`case`" << 26;
}

void TestFlowVariables::shellRefusesUnsafeContexts()
{
    QFETCH(QString, script);
    QFETCH(QString, message);
    QFETCH(int, offset);
    const ShellQuoter::Substitution substitution = ShellQuoter::substitute(
        script, [](const QString &) { return QStringLiteral("$(touch x)"); });
    QCOMPARE(substitution.problems.size(), 1);
    QVERIFY2(substitution.problems.first().message.contains(message),
        qPrintable(substitution.problems.first().message));
    QCOMPARE(substitution.problems.first().offset, offset);

    // After the here-document ends, quoting works again.
    if (script.startsWith(u"cat")) {
        const ShellQuoter::Substitution after =
            ShellQuoter::substitute(script + QStringLiteral("\necho ${params.v}"),
                [](const QString &) { return QStringLiteral("v"); });
        QCOMPARE(after.problems.size(), 1);
        QVERIFY(after.text.endsWith(QLatin1String("echo 'v'")));
    }
}

QTEST_GUILESS_MAIN(TestFlowVariables)
#include "tst_flowvariables.moc"
