// `sluice flows show FLOW [--dot]`: a flow's steps with their kinds and needs, its params and
// schedule; --dot prints the step graph for Graphviz instead. FLOW is a file flow's name, a
// flow file's path, or a built-in flow.

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTextStream>

#include "commandline.h"
#include "engine/displaytext.h"
#include "engine/flowregistry.h"
#include "flowfile/flowfilereader.h"
#include "flows/builtinflows.h"
#include "instance/instance.h"
#include "settings/datafolder.h"

namespace Sluice::Cli {

namespace {

    struct ShownStep
    {
        QString id;
        QString kind;
        QStringList needs;
    };

    struct ShownFlow
    {
        QString name;
        QString source; // the file, or "built-in"
        QString description;
        QString schedule;
        QStringList params;
        QList<ShownStep> steps;
    };

    int complain(int code, const QString &message)
    {
        err() << QCoreApplication::applicationName() << " flows show: " << message << '\n';
        return code;
    }

    // Text inside a Graphviz double-quoted ID: `"` and `\` escaped, control characters left out.
    QString dotEscaped(const QString &text)
    {
        QString result;
        for (QChar c : text) {
            if (c == u'"' || c == u'\\')
                result += u'\\';
            if (c.category() != QChar::Other_Control)
                result += c;
        }
        return result;
    }

    QString dotQuoted(const QString &text)
    {
        return u'"' + dotEscaped(text) + u'"';
    }

    ShownFlow fromFile(const FlowDefinition &flow, const QString &path)
    {
        ShownFlow shown{ flow.name, QDir::toNativeSeparators(path), flow.description, {}, {}, {} };
        if (flow.schedule) {
            const Schedule &schedule = flow.schedule->schedule;
            // describe() names the zone when it is not UTC.
            shown.schedule =
                QStringLiteral("%1 (%2)").arg(schedule.expressionText(), schedule.describe());
        }
        for (const FlowParam &param : flow.params) {
            QString text = param.name + QStringLiteral(" (") + flowParamTypeName(param.type);
            if (param.defaultValue)
                text += QStringLiteral(", ")
                    + QCoreApplication::translate("Sluice::CommandLine", "default %1")
                          .arg(param.defaultValue->value);
            else
                text += QStringLiteral(", ")
                    + QCoreApplication::translate("Sluice::CommandLine", "required");
            if (!param.choices.isEmpty()) {
                QStringList values;
                for (const PositionedText &choice : param.choices)
                    values << choice.value;
                text += QStringLiteral(", ")
                    + QCoreApplication::translate("Sluice::CommandLine", "one of %1")
                          .arg(values.join(u'|'));
            }
            shown.params << text + u')';
        }
        const QList<QStringList> needs = flow.dependencies();
        for (qsizetype i = 0; i < flow.steps.size(); ++i)
            shown.steps.append(
                { flow.steps.at(i).id, stepKindName(flow.steps.at(i).kind), needs.at(i) });
        return shown;
    }

    ShownFlow fromBuiltin(const Flow &flow)
    {
        ShownFlow shown{ flow.name(),
            QCoreApplication::translate("Sluice::CommandLine", "built-in"), flow.description(), {},
            {}, {} };
        for (const ParameterSpec &spec : flow.parameters())
            shown.params << QStringLiteral("%1 (%2)").arg(
                spec.name, Parameters::typeName(spec.type));
        for (const TaskSpec &task : flow.tasks())
            shown.steps.append({ task.name,
                QCoreApplication::translate("Sluice::CommandLine", "built-in"), task.upstream });
        return shown;
    }

    void printText(const ShownFlow &flow)
    {
        out() << QCoreApplication::translate("Sluice::CommandLine", "flow %1 (%2)")
                     .arg(flow.name, flow.source)
              << '\n';
        if (!flow.description.isEmpty())
            out() << QCoreApplication::translate("Sluice::CommandLine", "description: %1")
                         .arg(flow.description)
                  << '\n';
        out() << QCoreApplication::translate("Sluice::CommandLine", "schedule: %1")
                     .arg(flow.schedule.isEmpty() ? QStringLiteral("-") : flow.schedule)
              << '\n';
        out() << QCoreApplication::translate("Sluice::CommandLine", "params: %1")
                     .arg(flow.params.isEmpty() ? QStringLiteral("-")
                                                : flow.params.join(QStringLiteral(", ")))
              << '\n';
        out() << QCoreApplication::translate("Sluice::CommandLine", "steps:") << '\n';
        qsizetype idWidth = 0;
        qsizetype kindWidth = 0;
        for (const ShownStep &step : flow.steps) {
            idWidth = std::max(idWidth, step.id.size());
            kindWidth = std::max(kindWidth, step.kind.size());
        }
        for (const ShownStep &step : flow.steps) {
            QString line = QStringLiteral("  ") + step.id.leftJustified(idWidth + 2)
                + step.kind.leftJustified(kindWidth + 2);
            if (!step.needs.isEmpty())
                line += QCoreApplication::translate("Sluice::CommandLine", "needs %1")
                            .arg(step.needs.join(QStringLiteral(", ")));
            while (line.endsWith(u' '))
                line.chop(1);
            out() << line << '\n';
        }
    }

    void printDot(const ShownFlow &flow)
    {
        out() << "digraph " << dotQuoted(flow.name) << " {\n";
        out() << "    rankdir=LR;\n";
        out() << "    node [shape=box];\n";
        for (const ShownStep &step : flow.steps)
            out() << "    " << dotQuoted(step.id) << " [label=\"" << dotEscaped(step.id) << "\\n"
                  << dotEscaped(step.kind) << "\"];\n";
        for (const ShownStep &step : flow.steps) {
            for (const QString &need : step.needs)
                out() << "    " << dotQuoted(need) << " -> " << dotQuoted(step.id) << ";\n";
        }
        out() << "}\n";
    }

} // namespace

int runFlowsShow(Context &context)
{
    if (context.arguments.size() != 1)
        return complain(ExitUsage,
            QCoreApplication::translate("Sluice::CommandLine", "give one flow") + u'\n'
                + QCoreApplication::translate(
                    "Sluice::CommandLine", "Usage: sluice flows show FLOW [--dot]"));
    const QString wanted = context.arguments.first();
    const QStringList builtins = builtinFlowNames(context);

    // A path, or a name in the flows folder.
    QString path;
    if (wanted.contains(u'/') || wanted.endsWith(QLatin1String(".yaml"))
        || wanted.endsWith(QLatin1String(".yml"))) {
        path = wanted;
    } else {
        const QDir folder(FlowFileReader::flowsFolder(context.folder.path()));
        for (const char *suffix : { ".yaml", ".yml" }) {
            if (QFileInfo::exists(folder.filePath(wanted + QLatin1String(suffix)))) {
                path = folder.filePath(wanted + QLatin1String(suffix));
                break;
            }
        }
    }

    ShownFlow shown;
    if (!path.isEmpty()) {
        const CheckedFlowFile file = FlowFileReader::read(path, builtins, path);
        if (!file.isValid()) {
            for (const Diagnostic &diagnostic : file.diagnostics)
                err() << diagnostic.toString() << '\n';
            return complain(ExitUsage,
                QCoreApplication::translate("Sluice::CommandLine", "%1 does not pass the check")
                    .arg(path));
        }
        shown = fromFile(*file.definition, path);
    } else if (builtins.contains(wanted)) {
        if (Result<void> ok = context.instance.loadFlows(); !ok)
            return complain(ExitFailure, ok.error().message());
        shown = fromBuiltin(*context.instance.flows().flow(wanted));
    } else {
        return complain(ExitUsage,
            QCoreApplication::translate("Sluice::CommandLine", "unknown flow \"%1\"")
                .arg(escapeControls(wanted)));
    }
    if (context.parser.isSet(QStringLiteral("dot")))
        printDot(shown);
    else
        printText(shown);
    return ExitSuccess;
}

} // namespace Sluice::Cli
