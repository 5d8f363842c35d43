#pragma once

// One data folder opened by this process, and everything that works on it: the live settings,
// the flows, the engine recording to runs.sqlite, failure alerts and, when this process holds
// the folder's scheduler lock, the scheduler. The window and every command start from one
// Instance, taking the parts they need in order (each step says what it needs before it); the
// parts end in the reverse order: scheduler, lock, alerts, engine, flows, settings. No widgets;
// main thread.

#include <memory>

#include <QString>

#include "engine/result.h"
#include "engine/runrecorder.h"
#include "settings/datafolder.h"

namespace Sluice {

class AlertNotifier;
class Engine;
class FlowFiles;
class FlowRegistry;
class HistoryPruner;
class ScheduleRunner;
class SchedulerLock;
class Settings;

class Instance
{
public:
    // Creates the folder when missing, checks that it can be used and reads its settings. The
    // error names the folder and the cause.
    static Result<std::unique_ptr<Instance>> open(const QString &path);
    ~Instance();
    Instance(const Instance &) = delete;
    Instance &operator=(const Instance &) = delete;

    const DataFolder &folder() const { return m_folder; }
    // The one live Settings of the process: hand it down, listen to Settings::changed.
    Settings &settings() { return *m_settings; }

    // The built-in flows, on this folder and its live settings, and the flow files of
    // <data>/flows (an invalid file is kept with its errors, never hiding the others). Call
    // after the language is chosen (flow texts are translated when made); later calls change
    // nothing.
    Result<void> loadFlows();
    const FlowRegistry &flows() const { return *m_flows; } // after loadFlows()
    FlowFiles &flowFiles() { return *m_flowFiles; } // after loadFlows()
    // Reloads the flow files whenever the folder changes (the window and `serve`); the
    // scheduler, when made, follows.
    void watchFlowFiles();

    // The flows (loaded when not yet) and an engine on them recording to runs.sqlite. History
    // older than history.retention-days goes now, and again whenever that setting changes.
    Result<void> startEngine();
    // The same with the history written through opener (a fleet's PostgreSQL store; where
    // names it in messages): no runs.sqlite, no pruning here.
    Result<void> startEngine(RunRecorder::Opener opener, const QString &where);
    Engine &engine() { return *m_engine; } // after startEngine()
    bool hasEngine() const { return m_engine != nullptr; }

    // Failure alerts of the engine's runs by email (after startEngine()).
    AlertNotifier &startAlerts();
    AlertNotifier &alerts() { return *m_alerts; } // after startAlerts()

    // Takes the folder's scheduler lock without waiting; the error names the process that
    // holds it. Nothing when this instance holds it already.
    Result<void> lockScheduler();
    // The folder's schedules fired on the engine (after startEngine()): takes the lock when
    // not held yet, and makes the runner without starting it, so that the caller can connect
    // to it first. The error is the lock's. A fleet worker takes no lock (takeLock false): the
    // store's leader lock decides which worker's runner fires.
    Result<void> makeScheduler(bool takeLock = true);
    // After makeScheduler(); null before.
    ScheduleRunner *scheduler() { return m_scheduler.get(); }

private:
    Instance(const DataFolder &folder);
    void onSettingChanged(const QString &key);

    DataFolder m_folder;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<FlowRegistry> m_flows;
    std::unique_ptr<FlowFiles> m_flowFiles; // the environment of the file flows' tasks
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<HistoryPruner> m_pruner;
    std::unique_ptr<AlertNotifier> m_alerts;
    std::unique_ptr<SchedulerLock> m_lock;
    std::unique_ptr<ScheduleRunner> m_scheduler;
};

} // namespace Sluice
