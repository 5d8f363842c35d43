#pragma once

// For the GUI tests: a data folder in a temporary directory with its settings, the built-in
// flows and an engine recording into the folder's runs.sqlite, and a helper that acts on the
// next modal dialog (exec() blocks the test until it is closed).

#include <functional>
#include <memory>
#include <optional>

#include <QApplication>
#include <QDialog>
#include <QTemporaryDir>
#include <QTimer>

#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "flows/builtinflows.h"
#include "settings/datafolder.h"
#include "settings/settings.h"

struct GuiTestEnvironment
{
    QTemporaryDir dir;
    std::optional<Sluice::DataFolder> folder;
    std::unique_ptr<Sluice::Settings> settings;
    Sluice::FlowRegistry registry;
    std::unique_ptr<Sluice::Engine> engine;

    // Empty on success, else what failed.
    QString setUp(bool withEngine = true)
    {
        if (!dir.isValid())
            return QStringLiteral("no temporary directory");
        Sluice::Result<Sluice::DataFolder> opened =
            Sluice::DataFolder::open(dir.filePath(QStringLiteral("data")));
        if (!opened)
            return opened.error().message();
        folder = *opened;
        settings =
            std::make_unique<Sluice::Settings>(folder->settingsPath(), QMap<QString, QString>());
        if (!withEngine)
            return {};
        if (auto ok = Sluice::registerBuiltinFlows(registry); !ok)
            return ok.error().message();
        engine = std::make_unique<Sluice::Engine>(registry);
        if (auto ok = engine->enablePersistence(folder->runsPath(), 30); !ok)
            return ok.error().message();
        return {};
    }
};

// Calls act on the first modal dialog of type T that opens (polling the event loop every
// 20 ms, for up to 10 s), so that a test can fill in and close a dialog opened with exec().
template <typename T> void whenDialogOpens(QObject *context, std::function<void(T *)> act)
{
    auto *timer = new QTimer(context);
    auto tries = std::make_shared<int>(0);
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, context, [timer, tries, act] {
        if (auto *dialog = qobject_cast<T *>(QApplication::activeModalWidget())) {
            timer->stop();
            timer->deleteLater();
            act(dialog);
        } else if (++*tries > 500) {
            timer->stop();
            timer->deleteLater();
        }
    });
    timer->start();
}
