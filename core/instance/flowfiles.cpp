#include "instance/flowfiles.h"

#include <QFileInfo>
#include <QFileSystemWatcher>

#include "engine/flowregistry.h"
#include "settings/datafolder.h"
#include "steps/flowbuilder.h"

namespace Sluice {

FlowFiles::FlowFiles(
    FlowRegistry &registry, const DataFolder &folder, const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_folder(FlowFileReader::flowsFolder(folder.path()))
    , m_environment{ &folder, &settings }
    , m_builder(&FlowBuilder::build)
{
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(CoalesceMs);
    connect(&m_coalesce, &QTimer::timeout, this, &FlowFiles::load);
    m_poll.setInterval(PollMs);
    connect(&m_poll, &QTimer::timeout, this, &FlowFiles::onPoll);
}

FlowFiles::~FlowFiles() = default;

std::optional<FlowFiles::InvalidFile> FlowFiles::invalidFile(const QString &name) const
{
    for (const InvalidFile &file : m_invalid) {
        if (file.name == name)
            return file;
    }
    return std::nullopt;
}

QStringList FlowFiles::fingerprint() const
{
    QStringList files;
    for (const QString &path : FlowFileReader::flowFiles(m_folder)) {
        const QFileInfo info(path);
        files << QStringLiteral("%1 %2 %3")
                     .arg(path)
                     .arg(info.size())
                     .arg(info.lastModified().toMSecsSinceEpoch());
    }
    return files;
}

// An interval fires first one interval after the flow is loaded: its grid starts then, and
// stays where it was while the file keeps the same schedule.
Schedule FlowFiles::anchored(const QString &name, const Schedule &schedule) const
{
    if (schedule.kind() != Schedule::Kind::Interval)
        return schedule;
    const Schedule before = m_schedules.value(name);
    if (before.kind() == Schedule::Kind::Interval
        && before.interval().seconds() == schedule.interval().seconds()
        && before.timeZone() == schedule.timeZone()
        && before.misfirePolicy() == schedule.misfirePolicy())
        return before;
    // The grid holds its anchor: the first fire time after the load is the load plus one
    // interval.
    Result<Schedule> moved = Schedule::fromInterval(
        schedule.interval().text(), QDateTime::currentDateTimeUtc(), schedule.timeZoneId());
    if (!moved)
        return schedule;
    moved->setMisfirePolicy(schedule.misfirePolicy());
    return *moved;
}

void FlowFiles::load()
{
    m_fingerprint = fingerprint();
    const QList<CheckedFlowFile> files =
        FlowFileReader::readFolder(m_folder, m_registry.builtinNames());
    QHash<QString, QByteArray> sources;
    for (const CheckedFlowFile &file : files)
        sources.insert(file.path, file.source);
    if (m_watcher) {
        // A file replaced by a rename is a new file to the watcher.
        if (QFileInfo::exists(m_folder) && !m_watcher->directories().contains(m_folder))
            m_watcher->addPath(m_folder);
        const QStringList watched = m_watcher->files();
        if (!watched.isEmpty())
            m_watcher->removePaths(watched);
        if (!sources.isEmpty())
            m_watcher->addPaths(sources.keys());
    }
    if (m_loaded && sources == m_sources)
        return;
    m_loaded = true;
    m_sources = sources;

    std::vector<Flow> flows;
    QList<BrokenFlow> broken;
    QList<InvalidFile> invalid;
    QMap<QString, Schedule> schedules;
    for (const CheckedFlowFile &file : files) {
        const QString name = QFileInfo(file.path).completeBaseName();
        std::optional<Diagnostic> error;
        if (const Diagnostic *first = file.firstError()) {
            error = *first;
        } else {
            Result<Flow> flow = m_builder(file, m_environment);
            if (flow) {
                flows.push_back(std::move(*flow));
                if (file.definition->schedule)
                    schedules.insert(name, anchored(name, file.definition->schedule->schedule));
                continue;
            }
            error =
                Diagnostic{ file.diagnostics.isEmpty() ? file.path : file.diagnostics.first().file,
                    1, 1, Diagnostic::Severity::Error, flow.error().what };
        }
        QList<Diagnostic> diagnostics = file.diagnostics;
        if (!Diagnostic::hasErrors(diagnostics))
            diagnostics.prepend(*error);
        invalid << InvalidFile{ name, file.path, *error, diagnostics };
        // "flows/a.yaml:3:5: error: ...", as `flows check` says it.
        broken << BrokenFlow{ name, file.path, Error{ error->toString(), {}, ErrorCode::Permanent },
            error->line, error->column };
        // Its fires go on being recorded, as Failed runs.
        if (m_schedules.contains(name))
            schedules.insert(name, m_schedules.value(name));
    }
    m_registry.setFileFlows(std::move(flows), broken);
    m_invalid = invalid;
    m_schedules = schedules;
    Q_EMIT flowsChanged();
}

void FlowFiles::watch()
{
    if (m_watcher)
        return;
    m_watcher = new QFileSystemWatcher(this);
    const auto changed = [this] { m_coalesce.start(); };
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, changed);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, changed);
    if (QFileInfo::exists(m_folder))
        m_watcher->addPath(m_folder);
    if (!m_sources.isEmpty())
        m_watcher->addPaths(m_sources.keys());
    m_fingerprint = fingerprint();
    m_poll.start();
}

void FlowFiles::onPoll()
{
    if (fingerprint() != m_fingerprint)
        m_coalesce.start();
}

} // namespace Sluice
