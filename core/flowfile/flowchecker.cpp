#include "flowfile/flowchecker.h"

#include <algorithm>
#include <functional>

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSet>

#include "flowfile/shellquoter.h"
#include "flowfile/variabletemplate.h"
#include "flowfile/yamldocument.h"
#include "flowfile/yamlreader.h"
#include "store/storeurl.h"

namespace Sluice {

namespace {

    // Where a text may be used, which decides the variables it may hold.
    enum class TextContext {
        FlowEnv, // the flow's env: no steps.*
        ParamDefault, // run.* only
        Shell, // a run step's shell text: quoted by ShellQuoter
        Step, // any other text of a step
        Sql, // no variables at all
    };

    // Turns an offset inside a written text into a file position, by finding the same `${`
    // in the file's bytes from where the text starts.
    class SourceIndex
    {
    public:
        explicit SourceIndex(const QByteArray &source)
            : m_source(source)
            , m_lineStarts(YamlDocument::lineStarts(source))
        { }

        SourcePosition locate(const PositionedText &text, qsizetype offset) const
        {
            if (!text.position.isValid() || size_t(text.position.line) > m_lineStarts.size()
                || QStringView(text.value).mid(offset, 2) != u"${")
                return text.position;
            const qsizetype occurrence = QStringView(text.value).left(offset).count(u"${");
            qsizetype at = m_lineStarts[size_t(text.position.line - 1)] + text.position.column - 1;
            for (qsizetype n = 0; n <= occurrence; ++n) {
                at = m_source.indexOf("${", n == 0 ? at : at + 2);
                if (at < 0)
                    return text.position;
            }
            const auto line = std::upper_bound(m_lineStarts.cbegin(), m_lineStarts.cend(), at);
            const qsizetype lineIndex = line - m_lineStarts.cbegin() - 1;
            return { int(lineIndex + 1), int(at - m_lineStarts[size_t(lineIndex)] + 1) };
        }

    private:
        QByteArray m_source;
        std::vector<qsizetype> m_lineStarts;
    };

    class Checker
    {
    public:
        Checker(const FlowDefinition &flow, const QByteArray &source, const QString &displayPath)
            : m_flow(flow)
            , m_index(source)
            , m_displayPath(displayPath)
        { }

        void checkName(const QStringList &builtinNames);
        void checkSteps();
        void checkVariables();
        void checkUnusedParams();
        QList<Diagnostic> diagnostics() const { return m_diagnostics; }

    private:
        void error(const SourcePosition &position, const QString &message)
        {
            m_diagnostics.append({ m_displayPath, std::max(position.line, 1),
                std::max(position.column, 1), Diagnostic::Severity::Error, message });
        }
        void checkText(const PositionedText &text, TextContext context, qsizetype step = -1);
        void checkVariable(const PositionedText &text, const VariableTemplate::Piece &piece,
            TextContext context, qsizetype step);
        QSet<qsizetype> upstreamOf(qsizetype step);
        void checkDatabase(const std::optional<PositionedText> &database);

        const FlowDefinition &m_flow;
        SourceIndex m_index;
        QString m_displayPath;
        QList<Diagnostic> m_diagnostics;
        QList<QStringList> m_dependencies;
        QHash<qsizetype, QSet<qsizetype>> m_upstream;
        QSet<QString> m_usedParams;
    };

    void Checker::checkName(const QStringList &builtinNames)
    {
        if (!YamlReader::isName(m_flow.name))
            error({ 1, 1 },
                QCoreApplication::translate("Sluice::FlowFile",
                    "the file name does not make a flow name: \"%1\" must be a letter, then "
                    "letters, digits, `-` or `_`, at most 64")
                    .arg(m_flow.name));
        else if (builtinNames.contains(m_flow.name))
            error({ 1, 1 },
                QCoreApplication::translate("Sluice::FlowFile",
                    "the name `%1` is taken by a built-in flow; rename the file")
                    .arg(m_flow.name));
    }

    void Checker::checkSteps()
    {
        QHash<QString, int> firstLine;
        QStringList ids;
        for (const StepDefinition &step : m_flow.steps) {
            if (step.id.isEmpty())
                continue;
            if (const auto found = firstLine.constFind(step.id); found != firstLine.cend())
                error(step.position,
                    QCoreApplication::translate(
                        "Sluice::FlowFile", "duplicate step id `%1` (first at line %2)")
                        .arg(step.id)
                        .arg(*found));
            else
                firstLine.insert(step.id, step.position.line);
            ids << step.id;
        }
        for (const StepDefinition &step : m_flow.steps) {
            for (const PositionedText &need : step.needs) {
                if (ids.contains(need.value))
                    continue;
                const QString close = YamlReader::suggestion(need.value, ids);
                if (!close.isEmpty())
                    error(need.position,
                        QCoreApplication::translate("Sluice::FlowFile",
                            "step `%1` needs `%2`, which is not a step of this flow; did you mean "
                            "`%3`?")
                            .arg(step.id, need.value, close));
                else
                    error(need.position,
                        QCoreApplication::translate("Sluice::FlowFile",
                            "step `%1` needs `%2`, which is not a step of this flow")
                            .arg(step.id, need.value));
            }
        }

        // Cycles: a depth-first search; each cycle is told once, from its first step in file
        // order, at the `needs` entry that starts it.
        m_dependencies = m_flow.dependencies();
        const qsizetype count = m_flow.steps.size();
        QList<int> state(count, 0); // 0 new, 1 on the path, 2 done
        QList<qsizetype> path;
        QSet<QString> told;
        std::function<void(qsizetype)> visit = [&](qsizetype node) {
            state[node] = 1;
            path << node;
            for (const QString &id : m_dependencies.at(node)) {
                const qsizetype next = m_flow.stepIndex(id);
                if (state.at(next) == 1) {
                    QList<qsizetype> cycle = path.mid(path.indexOf(next));
                    // a needs b needs a: written as a -> b -> a, from the earliest step.
                    std::reverse(cycle.begin(), cycle.end());
                    const auto first = std::min_element(cycle.begin(), cycle.end());
                    std::rotate(cycle.begin(), first, cycle.end());
                    QStringList names;
                    for (qsizetype i : cycle)
                        names << m_flow.steps.at(i).id;
                    QStringList key = names;
                    key.sort();
                    if (told.contains(key.join(u',')))
                        continue;
                    told.insert(key.join(u','));
                    const StepDefinition &start = m_flow.steps.at(cycle.first());
                    const QString target = names.last(); // the step `start` needs
                    SourcePosition at = start.position;
                    for (const PositionedText &need : start.needs) {
                        if (need.value == target) {
                            at = need.position;
                            break;
                        }
                    }
                    names << names.first();
                    error(at,
                        QCoreApplication::translate("Sluice::FlowFile", "cycle in `needs`: %1")
                            .arg(names.join(QStringLiteral(" -> "))));
                } else if (state.at(next) == 0) {
                    visit(next);
                }
            }
            path.removeLast();
            state[node] = 2;
        };
        for (qsizetype i = 0; i < count; ++i) {
            if (state.at(i) == 0 && !m_flow.steps.at(i).id.isEmpty())
                visit(i);
        }
    }

    QSet<qsizetype> Checker::upstreamOf(qsizetype step)
    {
        if (const auto found = m_upstream.constFind(step); found != m_upstream.cend())
            return *found;
        m_upstream.insert(step, {}); // a cycle ends here
        QSet<qsizetype> result;
        for (const QString &id : m_dependencies.value(step)) {
            const qsizetype index = m_flow.stepIndex(id);
            result.insert(index);
            result.unite(upstreamOf(index));
        }
        m_upstream.insert(step, result);
        return result;
    }

    void Checker::checkVariable(const PositionedText &text, const VariableTemplate::Piece &piece,
        TextContext context, qsizetype step)
    {
        const SourcePosition at = m_index.locate(text, piece.offset);
        const QString written = QStringLiteral("${") + piece.text + QLatin1Char('}');
        if (context == TextContext::Sql) {
            error(at,
                QCoreApplication::translate("Sluice::FlowFile",
                    "`%1` cannot be used in SQL: bind params as :NAME (`-` written `_`), and "
                    ":run_id, :run_time, :run_date, :flow")
                    .arg(written));
            return;
        }
        const FlowVariable variable = FlowVariable::parse(piece.text);
        switch (variable.kind) {
        case FlowVariable::Kind::Unknown:
            if (context == TextContext::Shell || context == TextContext::FlowEnv)
                error(at,
                    QCoreApplication::translate("Sluice::FlowFile",
                        "unknown variable `%1`; write `$%1` for the shell's own")
                        .arg(written));
            else
                error(at,
                    QCoreApplication::translate("Sluice::FlowFile",
                        "unknown variable `%1`; the variables are params.NAME, run.id, run.time, "
                        "run.date, run.stamp, run.prev-time, flow.name, flow.dir, data-dir, "
                        "env.NAME and steps.ID.output")
                        .arg(written));
            return;
        case FlowVariable::Kind::Param: {
            m_usedParams.insert(variable.argument);
            if (m_flow.param(variable.argument))
                break;
            QStringList names;
            for (const FlowParam &param : m_flow.params)
                names << param.name;
            const QString close = YamlReader::suggestion(variable.argument, names);
            if (!close.isEmpty())
                error(at,
                    QCoreApplication::translate(
                        "Sluice::FlowFile", "unknown param `%1` in `%2`; did you mean `%3`?")
                        .arg(variable.argument, written, close));
            else
                error(at,
                    QCoreApplication::translate("Sluice::FlowFile", "unknown param `%1` in `%2`")
                        .arg(variable.argument, written));
            return;
        }
        case FlowVariable::Kind::StepOutput: {
            if (step < 0) {
                error(at,
                    QCoreApplication::translate(
                        "Sluice::FlowFile", "`%1` can only be used in a step")
                        .arg(written));
                return;
            }
            const qsizetype index = m_flow.stepIndex(variable.argument);
            if (index < 0) {
                error(at,
                    QCoreApplication::translate(
                        "Sluice::FlowFile", "`%1` names `%2`, which is not a step of this flow")
                        .arg(written, variable.argument));
                return;
            }
            if (!upstreamOf(step).contains(index))
                error(at,
                    QCoreApplication::translate("Sluice::FlowFile",
                        "`%1`: step `%2` is not upstream of step `%3`; add it to `needs`")
                        .arg(written, variable.argument, m_flow.steps.at(step).id));
            return;
        }
        default:
            break;
        }
        if (context == TextContext::ParamDefault && !variable.isRunVariable())
            error(at,
                QCoreApplication::translate("Sluice::FlowFile",
                    "a param default may only use `${run.*}` variables, not `%1`")
                    .arg(written));
    }

    void Checker::checkText(const PositionedText &text, TextContext context, qsizetype step)
    {
        if (context == TextContext::Shell) {
            const ShellQuoter::Substitution substitution = ShellQuoter::substitute(text.value, {});
            for (const TemplateProblem &problem : substitution.problems)
                error(m_index.locate(text, problem.offset), problem.message);
            for (const VariableTemplate::Piece &piece : substitution.variables)
                checkVariable(text, piece, context, step);
            return;
        }
        const VariableTemplate parsed = VariableTemplate::parse(text.value);
        for (const TemplateProblem &problem : parsed.problems())
            error(m_index.locate(text, problem.offset), problem.message);
        for (const VariableTemplate::Piece &piece : parsed.pieces()) {
            if (piece.isVariable)
                checkVariable(text, piece, context, step);
        }
    }

    // A `database:` written as a PostgreSQL URL must parse. Its variables are only known when
    // the step runs: each stands in as a value that fits wherever it is (a port, a password,
    // an sslmode), and the URL is wrong only when no such value would make it right. The
    // message names what is wrong, never the URL (it may hold a password).
    void Checker::checkDatabase(const std::optional<PositionedText> &database)
    {
        if (!database || !StoreUrl::isPostgresUrl(database->value))
            return;
        const VariableTemplate parsed = VariableTemplate::parse(database->value);
        if (!parsed.problems().isEmpty())
            return; // told as such
        const QStringList standIns = parsed.hasVariables()
            ? QStringList{ QStringLiteral("1"), QStringLiteral("prefer") }
            : QStringList{ QString() };
        QString problem;
        for (const QString &standIn : standIns) {
            const Result<StoreUrl> url =
                StoreUrl::parse(parsed.substitute([&](const QString &) { return standIn; }));
            if (url)
                return;
            if (problem.isEmpty())
                problem = url.error().what;
        }
        error(database->position,
            QCoreApplication::translate(
                "Sluice::FlowFile", "`database:` is not a valid PostgreSQL URL: %1")
                .arg(problem));
    }

    void Checker::checkVariables()
    {
        for (const FlowParam &param : m_flow.params) {
            if (param.defaultValue)
                checkText(*param.defaultValue, TextContext::ParamDefault);
        }
        for (const auto &entry : m_flow.env)
            checkText(entry.second, TextContext::FlowEnv);
        for (qsizetype i = 0; i < m_flow.steps.size(); ++i) {
            const StepDefinition &step = m_flow.steps.at(i);
            const auto text = [&](const PositionedText &t) { checkText(t, TextContext::Step, i); };
            const auto optional = [&](const std::optional<PositionedText> &t) {
                if (t)
                    text(*t);
            };
            const auto each = [&](const QList<PositionedText> &list) {
                for (const PositionedText &t : list)
                    text(t);
            };
            const auto values = [&](const QList<std::pair<QString, PositionedText>> &list) {
                for (const auto &entry : list)
                    text(entry.second);
            };
            switch (step.kind) {
            case StepKind::Run:
                if (step.run.isShell)
                    checkText(step.run.shell, TextContext::Shell, i);
                else
                    each(step.run.argv);
                optional(step.run.cwd);
                values(step.run.env);
                break;
            case StepKind::Sql:
                checkText(step.sql.statements, TextContext::Sql, i);
                optional(step.sql.database);
                checkDatabase(step.sql.database);
                break;
            case StepKind::Http:
                text(step.http.url);
                values(step.http.headers);
                values(step.http.query);
                optional(step.http.body);
                break;
            case StepKind::Import:
                text(step.import.file);
                optional(step.import.database);
                checkDatabase(step.import.database);
                break;
            case StepKind::Export:
                if (step.exportSpec.query)
                    checkText(*step.exportSpec.query, TextContext::Sql, i);
                text(step.exportSpec.to);
                optional(step.exportSpec.database);
                checkDatabase(step.exportSpec.database);
                break;
            case StepKind::Email:
                each(step.email.to);
                optional(step.email.subject);
                optional(step.email.body);
                each(step.email.attach);
                break;
            }
        }
    }

    void Checker::checkUnusedParams()
    {
        // Besides ${params.NAME}, a param reaches SQL as :NAME and a shell as $SLUICE_PARAM_NAME.
        QStringList sql;
        QStringList shell;
        for (const StepDefinition &step : m_flow.steps) {
            if (step.kind == StepKind::Sql)
                sql << step.sql.statements.value;
            if (step.kind == StepKind::Export && step.exportSpec.query)
                sql << step.exportSpec.query->value;
            if (step.kind == StepKind::Run) {
                shell << step.run.shell.value;
                for (const PositionedText &arg : step.run.argv)
                    shell << arg.value;
                for (const auto &entry : step.run.env)
                    shell << entry.second.value;
            }
        }
        for (const auto &entry : m_flow.env)
            shell << entry.second.value;
        const QString allSql = sql.join(u'\n');
        const QString allShell = shell.join(u'\n');
        for (const FlowParam &param : m_flow.params) {
            if (m_usedParams.contains(param.name))
                continue;
            QString bound = param.name;
            bound.replace(u'-', u'_');
            const QRegularExpression binding(
                QStringLiteral(":%1\\b").arg(QRegularExpression::escape(bound)));
            const QString environment = QStringLiteral("SLUICE_PARAM_") + bound.toUpper();
            if (allSql.contains(binding) || allShell.contains(environment))
                continue;
            m_diagnostics.append({ m_displayPath, param.position.line, param.position.column,
                Diagnostic::Severity::Warning,
                QCoreApplication::translate("Sluice::FlowFile",
                    "param `%1` is never used (as `${params.%1}`, `:%2` in SQL or `$%3`)")
                    .arg(param.name, bound, environment) });
        }
    }

} // namespace

QList<Diagnostic> FlowChecker::check(const FlowDefinition &flow, const QByteArray &source,
    const QString &displayPath, const QStringList &builtinNames)
{
    Checker checker(flow, source, displayPath);
    checker.checkName(builtinNames);
    checker.checkSteps();
    checker.checkVariables();
    checker.checkUnusedParams();
    return checker.diagnostics();
}

} // namespace Sluice
