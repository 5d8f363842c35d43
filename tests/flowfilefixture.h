#pragma once

// Test helper shared by the suites of flow-file steps: a data folder in a QTemporaryDir, flow
// files written into its flows folder, checked (FlowFileReader::check), built (FlowBuilder)
// and registered, and an engine without persistence that runs them; every event is kept in an
// EventLog. Also: whether a process still runs, by pid.

#include <memory>

#include <signal.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "engine/flowregistry.h"
#include "engineeventlog.h"
#include "flowfile/flowfilereader.h"
#include "settings/datafolder.h"
#include "steps/flowbuilder.h"

namespace FlowFileTest {

using namespace Sluice;
using namespace EngineTest;

// A process that ended but was not reaped yet (a zombie) counts as gone.
inline bool isRunning(qint64 pid)
{
    if (pid <= 0 || ::kill(pid_t(pid), 0) != 0)
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close >= 0 && text.size() > close + 2 && text.at(close + 2) != 'Z'
        && text.at(close + 2) != 'X';
}

class Fixture
{
public:
    Fixture()
        : m_folder(DataFolder::at(m_dir.path() + QStringLiteral("/data")))
    {
        const Result<DataFolder> opened = DataFolder::open(m_dir.path() + QStringLiteral("/data"));
        if (opened)
            m_folder = *opened;
        QDir().mkpath(flowsFolder());
        m_environment.folder = &m_folder;
        m_engine = std::make_unique<Engine>(m_registry);
        m_log = std::make_unique<EventLog>(*m_engine);
    }
    ~Fixture() { m_engine->shutDown(); }

    QString flowsFolder() const { return FlowFileReader::flowsFolder(m_folder.path()); }
    QString path(const QString &file) const { return flowsFolder() + QLatin1Char('/') + file; }
    const DataFolder &folder() const { return m_folder; }
    const FlowEnvironment &environment() const { return m_environment; }
    Engine &engine() { return *m_engine; }
    EventLog &log() { return *m_log; }

    // Writes flows/NAME.yaml, checks, builds and registers it; false (saying why) when any
    // of that fails.
    bool add(const QString &name, const QByteArray &yaml)
    {
        const Result<void> added = build(name, yaml);
        if (!added)
            qWarning("%s", qPrintable(added.error().message()));
        return added.hasValue();
    }

    // The same with the check's errors ignored: for what a step does with a definition the
    // check would refuse.
    bool addUnchecked(const QString &name, const QByteArray &yaml)
    {
        const Result<void> added = build(name, yaml, false);
        if (!added)
            qWarning("%s", qPrintable(added.error().message()));
        return added.hasValue();
    }

    // The same; the error is every diagnostic, or the builder's or the registry's error.
    Result<void> build(const QString &name, const QByteArray &yaml, bool checked = true)
    {
        const QString file = path(name + QStringLiteral(".yaml"));
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly) || out.write(yaml) != yaml.size())
            return Error{ QStringLiteral("cannot write"), file };
        out.close();
        CheckedFlowFile read = FlowFileReader::check(yaml, file, {});
        if (!checked && read.definition)
            read.diagnostics.clear();
        if (!read.isValid()) {
            QStringList problems;
            for (const Diagnostic &diagnostic : read.diagnostics)
                problems << diagnostic.toString();
            return Error{ problems.join(QLatin1Char('\n')), file };
        }
        Result<Flow> flow = FlowBuilder::build(read, m_environment);
        if (!flow)
            return flow.error();
        return m_registry.add(std::move(*flow));
    }

    // Starts a run (at a fixed logical time unless options say otherwise) and returns its id.
    Result<qint64> start(const QString &name, RunOptions options = {})
    {
        if (!options.time.isValid())
            options.time = QDateTime(QDate(2026, 12, 6), QTime(6, 30), Qt::UTC);
        return m_engine->start(name, std::move(options));
    }

    // Waits for the run's end; null when it did not end within timeoutMs.
    const RunFinishedEvent *waitFor(qint64 id, int timeoutMs = 10000)
    {
        (void)QTest::qWaitFor([&] { return m_log->finishedRun(id) != nullptr; }, timeoutMs);
        return m_log->finishedRun(id);
    }

    // Starts and waits; null when it could not start or did not end.
    const RunFinishedEvent *run(const QString &name, RunOptions options = {})
    {
        const Result<qint64> id = start(name, std::move(options));
        if (!id)
            return nullptr;
        m_lastRun = *id;
        return waitFor(*id);
    }
    qint64 lastRun() const { return m_lastRun; }

    // The last state event of a task of the last run.
    const TaskStateEvent *task(const QString &name) const { return m_log->last(m_lastRun, name); }
    // The log lines of a task of the last run at a level.
    QStringList logOf(const QString &name, LogLevel level) const
    {
        QStringList lines;
        for (const LogEvent &e : m_log->logs) {
            if (e.runId == m_lastRun && e.task == name && e.level == level)
                lines << e.text;
        }
        return lines;
    }

    QByteArray read(const QString &file) const
    {
        QFile in(path(file));
        return in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
    }
    qint64 pidIn(const QString &file) const { return read(file).trimmed().toLongLong(); }

private:
    QTemporaryDir m_dir;
    DataFolder m_folder;
    FlowEnvironment m_environment;
    FlowRegistry m_registry;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<EventLog> m_log;
    qint64 m_lastRun = 0;
};

} // namespace FlowFileTest
