#pragma once

// The flow files of a data folder (README, "Your own flows"): reads <data>/flows, builds each
// valid file into an engine flow and puts the set into the registry, replacing the previous
// set; an invalid file is kept with its errors, and in the registry as a broken flow (a run of
// it is recorded Failed). Each file's `schedule:` is its default schedule; an `every:` interval
// counts from when the flow was loaded. watch() follows the folder: a file added, changed or
// removed is read again within about a second (the watcher, and a coarse poll for editors that
// replace files by renaming), and flowsChanged() tells the window and the scheduler. Owns the
// environment the flows run in, so it must outlive them (and the engine). Main thread.

#include <functional>
#include <optional>

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QTimer>

#include "engine/flow.h"
#include "flowfile/flowfilereader.h"
#include "schedule/schedule.h"
#include "steps/stepcontext.h"

class QFileSystemWatcher;

namespace Sluice {

class FlowRegistry;

class FlowFiles : public QObject
{
    Q_OBJECT

public:
    // How a checked file becomes a flow (FlowBuilder::build; tests may give their own).
    using Builder = std::function<Result<Flow>(const CheckedFlowFile &, const FlowEnvironment &)>;

    // A file that cannot run: it does not pass the check, or cannot be built.
    struct InvalidFile
    {
        QString name; // the file's stem
        QString path;
        Diagnostic firstError; // "FILE:LINE:COL: error: ..." (1:1 for a build error)
        QList<Diagnostic> diagnostics; // every problem, sorted by position
    };

    static constexpr int CoalesceMs = 200; // a burst of notifications of one save
    static constexpr int PollMs = 1000; // the fallback check of the folder

    FlowFiles(FlowRegistry &registry, const DataFolder &folder, const Settings &settings,
        QObject *parent = nullptr);
    ~FlowFiles() override;

    // The next load() builds every file again with it.
    void setBuilder(Builder builder)
    {
        m_builder = std::move(builder);
        m_loaded = false;
    }
    QString folder() const { return m_folder; }

    // Reads the folder and replaces the registry's file flows when anything changed; emits
    // flowsChanged() then.
    void load();
    // Follows the folder from now on (load() when a change is seen).
    void watch();
    bool isWatching() const { return m_watcher != nullptr; }

    QList<InvalidFile> invalidFiles() const { return m_invalid; }
    std::optional<InvalidFile> invalidFile(const QString &name) const;
    // The default schedules of the file flows by name: the file's own `schedule:`; an invalid
    // file keeps the schedule it had when it was last valid, so that its fires are recorded.
    QMap<QString, Schedule> schedules() const { return m_schedules; }

Q_SIGNALS:
    void flowsChanged();

private:
    // What the poll compares: each file's name, size and modification time.
    QStringList fingerprint() const;
    Schedule anchored(const QString &name, const Schedule &schedule) const;
    void onPoll();

    FlowRegistry &m_registry;
    const QString m_folder;
    FlowEnvironment m_environment;
    Builder m_builder;
    bool m_loaded = false;
    QHash<QString, QByteArray> m_sources; // by path: what the current set was built from
    QStringList m_fingerprint;
    QList<InvalidFile> m_invalid;
    QMap<QString, Schedule> m_schedules;
    QFileSystemWatcher *m_watcher = nullptr;
    QTimer m_coalesce;
    QTimer m_poll;
};

} // namespace Sluice
