#include "steps/runstep.h"

#include <optional>

#include <QElapsedTimer>
#include <QProcessEnvironment>

#include "flowfile/shellquoter.h"
#include "steps/childprocess.h"
#include "steps/linethrottle.h"
#include "steps/stepcontext.h"

namespace Sluice {

namespace {

    // Where the character at offset of a text stands in its file: its line counts the text's
    // newlines; on the text's first line its column counts from where the value starts, on the
    // next ones from the line's start (a quoted or block value shifts it a little).
    SourcePosition positionIn(const PositionedText &text, qsizetype offset)
    {
        if (!text.position.isValid())
            return text.position;
        const QStringView before = QStringView(text.value).left(offset);
        const qsizetype newlines = before.count(u'\n');
        if (newlines == 0)
            return { text.position.line, text.position.column + int(offset) };
        return { text.position.line + int(newlines), int(offset - before.lastIndexOf(u'\n')) };
    }

    // "step `a` (flows/x.yaml:3:5) (flows/x.yaml:3:18)": the step, then the place in the text.
    QString placeIn(const StepContext &context, const PositionedText &text, qsizetype offset)
    {
        const SourcePosition at = positionIn(text, offset);
        if (!at.isValid())
            return context.where();
        return QStringLiteral("%1 (%2:%3:%4)")
            .arg(context.where(), context.flow().filePath)
            .arg(at.line)
            .arg(at.column);
    }

    // The shell text with each variable quoted for /bin/sh; refused when a variable stands
    // where no quoting is safe (the check says so first) or has no value.
    Result<QString> shellText(const StepContext &context, const PositionedText &text)
    {
        std::optional<Error> failed;
        const ShellQuoter::Substitution substitution =
            ShellQuoter::substitute(text.value, [&](const QString &name) {
                if (failed)
                    return QString();
                Result<QString> value = context.variable(name);
                if (!value) {
                    failed = value.error();
                    return QString();
                }
                return *value;
            });
        if (!substitution.problems.isEmpty()) {
            const TemplateProblem &problem = substitution.problems.first();
            QString name;
            for (const VariableTemplate::Piece &piece : substitution.variables) {
                if (piece.offset == problem.offset)
                    name = piece.text;
            }
            const QString what = name.isEmpty()
                ? problem.message
                : RunStep::tr("`${%1}`: %2").arg(name, problem.message);
            return Error{ RunStep::tr("not run: %1").arg(what),
                placeIn(context, text, problem.offset), ErrorCode::Permanent };
        }
        if (failed) {
            // Name the place of the variable that failed (the first one whose value failed).
            for (const VariableTemplate::Piece &piece : substitution.variables) {
                if (failed->what.contains(QStringLiteral("${%1}").arg(piece.text))) {
                    failed->where = placeIn(context, text, piece.offset);
                    break;
                }
            }
            return *failed;
        }
        return substitution.text;
    }

    // The process's environment, then the flow's `env:`, then the step's, then SLUICE_*.
    Result<QStringList> environment(const StepContext &context)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const auto *entries : { &context.flow().env, &context.step().run.env }) {
            for (const auto &[name, text] : *entries) {
                Result<QString> value = context.substitute(text);
                if (!value)
                    return value.error();
                environment.insert(name, *value);
            }
        }
        for (const QString &entry : context.sluiceEnvironment()) {
            const qsizetype equals = entry.indexOf(QLatin1Char('='));
            environment.insert(entry.left(equals), entry.mid(equals + 1));
        }
        return environment.toStringList();
    }

} // namespace

Result<QVariant> RunStep::run(StepContext &context)
{
    const RunSpec &spec = context.step().run;
    ChildProcess::Options options;
    if (spec.isShell) {
        Result<QString> text = shellText(context, spec.shell);
        if (!text)
            return text.error();
        options.arguments = { QStringLiteral("/bin/sh"), QStringLiteral("-c"), *text };
    } else {
        for (const PositionedText &argument : spec.argv) {
            Result<QString> value = context.substitute(argument);
            if (!value)
                return value.error();
            options.arguments << *value;
        }
    }
    options.workingDirectory = context.flowDirectory();
    if (spec.cwd) {
        Result<QString> cwd = context.substitute(*spec.cwd);
        if (!cwd)
            return cwd.error();
        options.workingDirectory = context.resolvePath(*cwd);
    }
    Result<QStringList> env = environment(context);
    if (!env)
        return env.error();
    options.environment = std::move(*env);
    // One byte past the limit tells a reader of ${steps.ID.output} that the output was longer.
    options.outputLimit = StepContext::MaximumOutputBytes + 1;

    TaskContext &task = context.task();
    LineThrottle throttle([&task](LogLevel level, const QString &line) { task.log(level, line); });
    QElapsedTimer clock;
    clock.start();
    const Result<ChildProcess::Outcome> ran = ChildProcess::run(
        options, task.token(), [&](ChildProcess::Stream stream, const QString &line) {
            throttle.add(
                stream == ChildProcess::Stream::Output ? LogLevel::Info : LogLevel::Warning, line,
                clock.elapsed());
        });
    throttle.finish();
    if (!ran) {
        // Not started: a missing program or folder fails the same way again (Permanent).
        const QString what =
            ran.error().where.isEmpty() ? options.arguments.first() : ran.error().where;
        return Error{ tr("cannot run %1: %2").arg(what, ran.error().what), context.where(),
            ran.error().code };
    }
    const ChildProcess::Outcome &outcome = *ran;
    if (outcome.stopped)
        return Error{ tr("stopped (%1)").arg(ChildProcess::describe(outcome)), context.where(),
            ErrorCode::Cancelled };
    if (!outcome.exited || outcome.exitCode != 0) {
        const QString how = ChildProcess::describe(outcome);
        // Unspecified: the step's `retries` decide whether it runs again.
        return Error{
            outcome.lastErrorLine.isEmpty() ? how : tr("%1: %2").arg(how, outcome.lastErrorLine),
            context.where()
        };
    }
    if (outcome.outputTruncated) {
        task.warning(tr("the output is longer than %1 bytes: only its start is kept, and a step "
                        "that reads it fails")
                         .arg(StepContext::MaximumOutputBytes));
        return QVariant(QString::fromUtf8(outcome.output));
    }
    return QVariant(QString::fromUtf8(outcome.output).trimmed());
}

} // namespace Sluice
