#include "steps/stepcontext.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include "engine/parameters.h"
#include "settings/datafolder.h"

namespace Sluice {

namespace {

    // `region-code` -> `region_code`; for binds and SLUICE_PARAM_ names.
    QString underscored(QString name)
    {
        return name.replace(QLatin1Char('-'), QLatin1Char('_'));
    }

} // namespace

StepContext::StepContext(TaskContext &task, const FlowDefinition &flow, const StepDefinition &step,
    const FlowEnvironment &environment)
    : m_task(task)
    , m_flow(flow)
    , m_step(step)
    , m_environment(environment)
{ }

QString StepContext::flowDirectory() const
{
    return QFileInfo(m_flow.filePath).absolutePath();
}

QString StepContext::resolvePath(const QString &path) const
{
    return QDir::cleanPath(QDir(flowDirectory()).absoluteFilePath(path));
}

QString StepContext::warehousePath() const
{
    return m_environment.folder ? m_environment.folder->warehousePath() : QString();
}

Result<QString> StepContext::variable(const QString &name) const
{
    const FlowVariable variable = FlowVariable::parse(name);
    switch (variable.kind) {
    case FlowVariable::Kind::Param: {
        const auto found = m_task.parameters().constFind(variable.argument);
        if (found != m_task.parameters().cend())
            return Parameters::toText(*found);
        break;
    }
    case FlowVariable::Kind::RunId:
        return QString::number(m_task.runId());
    case FlowVariable::Kind::RunTime:
    case FlowVariable::Kind::RunDate:
    case FlowVariable::Kind::RunStamp:
    case FlowVariable::Kind::RunPrevTime:
        return variable.timeValue(m_task.runTime(), m_task.previousRunTime());
    case FlowVariable::Kind::FlowName:
        return m_flow.name;
    case FlowVariable::Kind::FlowDir:
        return flowDirectory();
    case FlowVariable::Kind::DataDir:
        return m_environment.folder ? m_environment.folder->path() : QString();
    case FlowVariable::Kind::Env:
        return qEnvironmentVariable(variable.argument.toLocal8Bit().constData());
    case FlowVariable::Kind::StepOutput: {
        const QVariant output = m_task.ancestor(variable.argument);
        if (!output.isValid())
            return Error{ tr("`${%1}`: step `%2` is not upstream of this step or did not complete")
                              .arg(name, variable.argument),
                where(), ErrorCode::Permanent };
        const QString text = output.toString();
        if (text.toUtf8().size() > MaximumOutputBytes)
            return Error{ tr("`${%1}`: the output of step `%2` is longer than %3 bytes")
                              .arg(name, variable.argument)
                              .arg(MaximumOutputBytes),
                where(), ErrorCode::Permanent };
        return text;
    }
    case FlowVariable::Kind::Unknown:
        break;
    }
    return Error{ tr("unknown variable `${%1}`").arg(name), where(), ErrorCode::Permanent };
}

Result<QString> StepContext::substitute(const PositionedText &text, const Encoder &encode) const
{
    const VariableTemplate parsed = VariableTemplate::parse(text.value);
    std::optional<Error> failed;
    QString result = parsed.substitute([&](const QString &name) {
        if (failed)
            return QString();
        Result<QString> value = variable(name);
        if (!value) {
            failed = value.error();
            return QString();
        }
        return encode ? encode(*value) : *value;
    });
    if (failed) {
        if (text.position.isValid())
            failed->where = QStringLiteral("%1 (%2:%3:%4)")
                                .arg(where(), m_flow.filePath)
                                .arg(text.position.line)
                                .arg(text.position.column);
        return *failed;
    }
    return result;
}

QVariantMap StepContext::sqlBinds() const
{
    QVariantMap binds;
    const QVariantMap &parameters = m_task.parameters();
    for (auto it = parameters.cbegin(); it != parameters.cend(); ++it)
        binds.insert(underscored(it.key()), *it);
    binds.insert(QStringLiteral("run_id"), m_task.runId());
    binds.insert(QStringLiteral("run_time"), FlowVariable::timeText(m_task.runTime()));
    binds.insert(QStringLiteral("run_date"), m_task.runTime().toUTC().date().toString(Qt::ISODate));
    binds.insert(QStringLiteral("flow"), m_flow.name);
    return binds;
}

QStringList StepContext::sluiceEnvironment() const
{
    QStringList environment;
    const QVariantMap &parameters = m_task.parameters();
    for (auto it = parameters.cbegin(); it != parameters.cend(); ++it) {
        environment << QStringLiteral("SLUICE_PARAM_%1=%2")
                           .arg(underscored(it.key()).toUpper(), Parameters::toText(*it));
    }
    environment
        << QStringLiteral("SLUICE_RUN_ID=%1").arg(m_task.runId())
        << QStringLiteral("SLUICE_RUN_TIME=%1").arg(FlowVariable::timeText(m_task.runTime()))
        << QStringLiteral("SLUICE_RUN_DATE=%1")
               .arg(m_task.runTime().toUTC().date().toString(Qt::ISODate))
        << QStringLiteral("SLUICE_FLOW=%1").arg(m_flow.name)
        << QStringLiteral("SLUICE_DATA_DIR=%1")
               .arg(m_environment.folder ? m_environment.folder->path() : QString())
        << QStringLiteral("SLUICE_WAREHOUSE=%1").arg(warehousePath());
    return environment;
}

QString StepContext::where() const
{
    if (!m_step.position.isValid())
        return tr("step `%1` (%2)").arg(m_step.id, m_flow.filePath);
    return tr("step `%1` (%2:%3:%4)")
        .arg(m_step.id, m_flow.filePath)
        .arg(m_step.position.line)
        .arg(m_step.position.column);
}

} // namespace Sluice
