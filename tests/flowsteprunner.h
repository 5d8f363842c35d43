#pragma once

// Test helper for the step suites (tst_httpstep, tst_importstep, tst_exportstep,
// tst_emailstep): a real data folder and real Settings in a QTemporaryDir, a flow built from
// YAML text as `sluice` builds a file (FlowFileReader::check + FlowBuilder::build), run on an
// Engine while this thread's event loop serves the test's fixtures. Keeps what each step
// returned (its output) by wrapping the task functions.

#include <memory>
#include <mutex>

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QMap>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QVariant>

#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "flowfile/flowfilereader.h"
#include "settings/datafolder.h"
#include "settings/settings.h"
#include "steps/flowbuilder.h"
#include "storage/sqliteconnection.h"

class FlowStepRunner
{
public:
    struct Outcome
    {
        Sluice::RunState state = Sluice::RunState::Pending;
        QString message; // the run's error or reason
        QMap<QString, QVariant> outputs; // by step id, of the steps that completed
        QList<Sluice::TaskStateEvent> states;
        QStringList log;
        QString buildError; // the flow could not be built
        QMap<QString, qint64> storedRows; // RunFinishedEvent::storedRows
    };

    FlowStepRunner()
        : m_folder(Sluice::DataFolder::open(m_dir.path() + QStringLiteral("/data")).value())
        , m_settings(m_folder.settingsPath(), QMap<QString, QString>())
    {
        QDir().mkpath(flowsPath());
    }

    const Sluice::DataFolder &folder() const { return m_folder; }
    Sluice::Settings &settings() { return m_settings; }
    QString flowsPath() const { return Sluice::FlowFileReader::flowsFolder(m_folder.path()); }
    QString warehousePath() const { return m_folder.warehousePath(); }

    // Writes flows/<name>.yaml, builds it and runs it to its end (at most timeoutMs).
    Outcome run(const QByteArray &yaml, const QVariantMap &parameters = {},
        const QString &name = QStringLiteral("steps"), int timeoutMs = 60000)
    {
        using namespace Sluice;
        Outcome outcome;
        const QString path = flowsPath() + QLatin1Char('/') + name + QStringLiteral(".yaml");
        QFile file(path);
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            file.write(yaml);
        file.close();
        const CheckedFlowFile checked = FlowFileReader::check(yaml, path, {});
        Result<Flow> built = FlowBuilder::build(checked, m_environment);
        if (!built) {
            outcome.buildError = built.error().message();
            return outcome;
        }
        auto outputs = std::make_shared<std::pair<std::mutex, QMap<QString, QVariant>>>();
        FlowRegistry registry;
        if (Result<void> added = registry.add(recording(*built, outputs)); !added) {
            outcome.buildError = added.error().message();
            return outcome;
        }
        {
            Engine engine(registry);
            QList<RunFinishedEvent> finished;
            QObject context;
            // An event loop, not QTest::qWaitFor(): that one sleeps 10 ms between rounds of
            // events, which would throttle an HttpFixture serving the step from this thread.
            QEventLoop loop;
            QObject::connect(
                &engine, &Engine::runFinished, &context, [&](const RunFinishedEvent &e) {
                    finished << e;
                    loop.quit();
                });
            QObject::connect(&engine, &Engine::taskStateChanged, &context,
                [&](const TaskStateEvent &e) { outcome.states << e; });
            QObject::connect(&engine, &Engine::logLine, &context,
                [&](const LogEvent &e) { outcome.log << e.text; });
            Result<qint64> started = engine.start(name, parameters);
            if (!started) {
                outcome.buildError = started.error().message();
                return outcome;
            }
            QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
            if (finished.isEmpty())
                loop.exec();
            if (finished.isEmpty()) {
                outcome.message = QStringLiteral("the run did not finish in time");
                return outcome;
            }
            outcome.state = finished.first().state;
            outcome.message = finished.first().message;
            outcome.storedRows = finished.first().storedRows;
        }
        std::lock_guard lock(outputs->first);
        outcome.outputs = outputs->second;
        return outcome;
    }

    // The rows of a query on an SQLite file, each as its values.
    static QList<QVariantList> rows(const QString &database, const QString &sql)
    {
        QList<QVariantList> result;
        Sluice::Result<Sluice::SqliteConnection> connection =
            Sluice::SqliteConnection::open(database, QStringLiteral("test-rows"));
        if (!connection)
            return result;
        QSqlQuery query(connection->database());
        if (!query.exec(sql))
            return result;
        while (query.next()) {
            QVariantList row;
            for (int c = 0; c < query.record().count(); ++c)
                row << (query.isNull(c) ? QVariant() : query.value(c));
            result << row;
        }
        return result;
    }

private:
    using Outputs = std::shared_ptr<std::pair<std::mutex, QMap<QString, QVariant>>>;

    // The same flow with each task's result kept in outputs.
    static Sluice::Flow recording(const Sluice::Flow &flow, const Outputs &outputs)
    {
        using namespace Sluice;
        Flow copy(flow.name(), flow.description());
        for (const ParameterSpec &parameter : flow.parameters())
            copy.addParameter(parameter);
        for (TaskSpec task : flow.tasks()) {
            task.function = [function = task.function, name = task.name, outputs](
                                TaskContext &context) -> Result<QVariant> {
                Result<QVariant> result = function(context);
                if (result) {
                    std::lock_guard lock(outputs->first);
                    outputs->second.insert(name, *result);
                }
                return result;
            };
            copy.addTask(std::move(task));
        }
        copy.setRetryPolicy(flow.retryPolicy());
        copy.setTimeoutMs(flow.timeoutMs());
        copy.setTaskTimeoutMs(flow.taskTimeoutMs());
        copy.setOverlap(flow.overlap());
        copy.setMaxParallel(flow.maxParallel());
        copy.setSource(flow.sourcePath(), flow.source());
        return copy;
    }

    QTemporaryDir m_dir;
    Sluice::DataFolder m_folder;
    Sluice::Settings m_settings;
    Sluice::FlowEnvironment m_environment{ &m_folder, &m_settings };
};
