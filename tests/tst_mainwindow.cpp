// The main window, offscreen with real widgets: areas, menus, empty states, restored state,
// and the settings dialog; and the real `sluice` window process ending on SIGTERM, SIGINT or
// SIGHUP with its running run recorded Cancelled.

#include <csignal>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTemporaryDir>
#include <QToolBar>
#include <QToolButton>
#include <QTranslator>
#include <QtTest>

#include "cleantablefixture.h"
#include "dialogs/settingsdialog.h"
#include "engine/engine.h"
#include "engine/flow.h"
#include "engine/flowregistry.h"
#include "engine/runoptions.h"
#include "engine/runstate.h"
#include "engine/taskcontext.h"
#include "flows/builtinflows.h"
#include "httpfixture.h"
#include "mainwindow.h"
#include "models/warehousetablemodel.h"
#include "schedule/defaultschedules.h"
#include "schedule/schedulestore.h"
#include "settings/datafolder.h"
#include "settings/settings.h"
#include "storage/sqliteconnection.h"
#include "trayicon.h"
#include "views/chartsview.h"
#include "views/dataview.h"
#include "widgets/emptystate.h"
#include "widgets/noticebar.h"

#include "engineeventlog.h"

using namespace Sluice;
using Area = MainWindow::Area;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void hasToolbarMenusAndStatusBar();
    void switchesAreasByActionAndShortcut_data();
    void switchesAreasByActionAndShortcut();
    void areasShowEmptyStates_data();
    void areasShowEmptyStates();
    void restoresGeometryAndArea();
    void settingsDialogSavesValidValues();
    void settingsDialogMarksInvalidValues();
    void translatedToChinese();
    void showsRunsInProgressInTitle();
    void rereadsOnlyTablesARunStoredIn();
    void trayChoicesNeedATray();
    void tellsOnceWhenScheduledRunsFail();
    void toldOnceAboutUnreadableSettings();
    void signalEndsWindowProcess_data();
    void signalEndsWindowProcess();

private:
    QStringList runsQuery(const QString &sql) const;

    QTemporaryDir m_home;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::optional<DataFolder> m_folder;
    std::unique_ptr<Settings> m_settings;
};

void TestMainWindow::initTestCase()
{
    // CTest runs each test function as its own process, in parallel: each gets its own home,
    // so that the window state file is not shared.
    QVERIFY(m_home.isValid());
    qputenv("HOME", QFile::encodeName(m_home.path()));
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setApplicationName(QStringLiteral("sluice"));
    // Test mode keeps the window state out of the user's own configuration.
    QVERIFY2(MainWindow::windowStateFile().contains(QLatin1String("qttest")),
        qPrintable(MainWindow::windowStateFile()));
}

void TestMainWindow::init()
{
    QFile::remove(MainWindow::windowStateFile());
    m_dir = std::make_unique<QTemporaryDir>();
    Result<DataFolder> folder = DataFolder::open(m_dir->filePath(QStringLiteral("data")));
    QVERIFY(folder);
    m_folder = *folder;
    m_settings = std::make_unique<Settings>(folder->settingsPath(), QMap<QString, QString>());
}

void TestMainWindow::cleanup()
{
    m_settings.reset();
    QFile::remove(MainWindow::windowStateFile());
}

void TestMainWindow::hasToolbarMenusAndStatusBar()
{
    MainWindow window(m_settings.get(), *m_folder);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    auto *toolbar = window.findChild<QToolBar *>(QStringLiteral("mainToolBar"));
    QVERIFY(toolbar);
    QVERIFY(toolbar->isVisible());
    QVERIFY(toolbar->actions().contains(window.areaAction(Area::Charts)));
    QVERIFY(toolbar->actions().contains(window.settingsAction()));

    QStringList menus;
    QList<QAction *> all;
    for (QAction *menu : window.menuBar()->actions()) {
        menus << menu->text();
        all += menu->menu()->actions();
    }
    QCOMPARE(menus, QStringList({ "&File", "&View", "&Help" }));
    auto find = [&](const QString &text) -> QAction * {
        for (QAction *a : all)
            if (a->text() == text)
                return a;
        return nullptr;
    };
    QVERIFY(find(QStringLiteral("&Settings…")));
    QCOMPARE(
        find(QStringLiteral("&Settings…"))->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Comma));
    QVERIFY(find(QStringLiteral("&Quit")));
    QCOMPARE(find(QStringLiteral("&Quit"))->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Q));
    QVERIFY(find(QStringLiteral("&About Sluice")));
    QVERIFY(!find(QStringLiteral("&About Sluice"))->shortcut().isEmpty());

    QVERIFY(window.statusBar()->isVisible());
    const auto labels = window.statusBar()->findChildren<QLabel *>();
    const bool showsFolder = std::any_of(
        labels.begin(), labels.end(), [&](QLabel *l) { return l->text() == m_folder->path(); });
    QVERIFY(showsFolder);
}

void TestMainWindow::switchesAreasByActionAndShortcut_data()
{
    QTest::addColumn<int>("area");
    QTest::addColumn<int>("key");
    QTest::newRow("runs") << int(Area::Runs) << int(Qt::Key_2);
    QTest::newRow("data") << int(Area::Data) << int(Qt::Key_3);
    QTest::newRow("charts") << int(Area::Charts) << int(Qt::Key_4);
    QTest::newRow("flows") << int(Area::Flows) << int(Qt::Key_1);
}

void TestMainWindow::switchesAreasByActionAndShortcut()
{
    QFETCH(int, area);
    QFETCH(int, key);
    MainWindow window(m_settings.get(), *m_folder);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.setCurrentArea(area == int(Area::Flows) ? Area::Charts : Area::Flows);

    // By the toolbar/menu action.
    window.areaAction(Area(area))->trigger();
    QCOMPARE(window.currentArea(), Area(area));
    QVERIFY(window.areaWidget(Area(area))->isVisible());
    QVERIFY(window.areaAction(Area(area))->isChecked());

    // By the keyboard, from another area.
    window.setCurrentArea(area == int(Area::Flows) ? Area::Charts : Area::Flows);
    QVERIFY(!window.areaWidget(Area(area))->isVisible());
    QTest::keyClick(&window, Qt::Key(key), Qt::ControlModifier);
    QCOMPARE(window.currentArea(), Area(area));
    QVERIFY(window.areaWidget(Area(area))->isVisible());
}

void TestMainWindow::areasShowEmptyStates_data()
{
    QTest::addColumn<int>("area");
    QTest::addColumn<QString>("title");
    QTest::newRow("flows") << int(Area::Flows) << "No flows yet";
    QTest::newRow("runs") << int(Area::Runs) << "No runs yet";
    QTest::newRow("data") << int(Area::Data) << "No data yet";
    QTest::newRow("charts") << int(Area::Charts) << "Nothing to chart yet";
}

void TestMainWindow::areasShowEmptyStates()
{
    QFETCH(int, area);
    QFETCH(QString, title);
    MainWindow window(m_settings.get(), *m_folder);
    window.show();
    window.setCurrentArea(Area(area));
    auto *empty = window.areaWidget(Area(area))->findChild<EmptyState *>();
    QVERIFY(empty);
    QTRY_VERIFY(empty->isEmptyShown()); // the Data area lists the warehouse off the GUI thread
    QCOMPARE(empty->title(), title);
    auto *label = empty->findChild<QLabel *>(QStringLiteral("emptyStateTitle"));
    QVERIFY(label && label->isVisible());
    if (Area(area) == Area::Flows)
        return;
    // Its button leads to the Flows area, where the flow that fills it is.
    auto *action = empty->findChild<QPushButton *>(QStringLiteral("emptyStateAction"));
    QVERIFY(action && action->isVisible());
    QTest::mouseClick(action, Qt::LeftButton);
    QCOMPARE(window.currentArea(), Area::Flows);
}

void TestMainWindow::restoresGeometryAndArea()
{
    {
        MainWindow window(m_settings.get(), *m_folder);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resize(900, 640);
        window.setCurrentArea(Area::Data);
        QVERIFY(window.close());
    }
    MainWindow again(m_settings.get(), *m_folder);
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QCOMPARE(again.currentArea(), Area::Data);
    QVERIFY(again.areaAction(Area::Data)->isChecked());
    QCOMPARE(again.size(), QSize(900, 640));
}

void TestMainWindow::settingsDialogSavesValidValues()
{
    SettingsDialog dialog(m_settings.get(), m_folder->path());
    dialog.show();
    auto *port = qobject_cast<QSpinBox *>(dialog.editor(QStringLiteral("smtp.port")));
    auto *host = qobject_cast<QLineEdit *>(dialog.editor(QStringLiteral("smtp.host")));
    auto *recipients =
        qobject_cast<QLineEdit *>(dialog.editor(QStringLiteral("report.recipients")));
    auto *tray = qobject_cast<QCheckBox *>(dialog.editor(QStringLiteral("ui.keep-in-tray")));
    QVERIFY(port && host && recipients && tray);
    port->setValue(2525);
    host->clear();
    QTest::keyClicks(host, QStringLiteral("mail.example.org"));
    recipients->setText(QStringLiteral("a@x.org,b@y.org"));
    tray->setChecked(true);
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));

    Settings reread(m_folder->settingsPath(), {});
    QCOMPARE(reread.smtpPort(), 2525);
    QCOMPARE(reread.smtpHost(), QStringLiteral("mail.example.org"));
    QCOMPARE(reread.reportRecipients(), QStringList({ "a@x.org", "b@y.org" }));
    QCOMPARE(reread.keepInTray(), true);
}

// Keep in tray and start in tray act only where a tray is (none here, offscreen): the window
// then shows at start and closes for real, so that Sluice is never running out of reach.
void TestMainWindow::trayChoicesNeedATray()
{
    QVERIFY(m_settings->setText(QStringLiteral("ui.keep-in-tray"), QStringLiteral("true")));
    QVERIFY(m_settings->setText(QStringLiteral("ui.start-in-tray"), QStringLiteral("true")));
    MainWindow window(m_settings.get(), *m_folder);
    QVERIFY(!window.trayIcon()->isAvailable());
    window.showAtStart();
    QVERIFY(window.isVisible());
    QVERIFY(window.close());
    QVERIFY(!window.isVisible());

    // The dialog offers both on the General tab.
    SettingsDialog dialog(m_settings.get(), m_folder->path());
    auto *start = qobject_cast<QCheckBox *>(dialog.editor(QStringLiteral("ui.start-in-tray")));
    QVERIFY(start);
    QVERIFY(start->isChecked());
    QVERIFY(qobject_cast<QCheckBox *>(dialog.editor(QStringLiteral("ui.keep-in-tray"))));
}

void TestMainWindow::settingsDialogMarksInvalidValues()
{
    SettingsDialog dialog(m_settings.get(), m_folder->path());
    dialog.show();
    auto *from = qobject_cast<QLineEdit *>(dialog.editor(QStringLiteral("smtp.from")));
    QVERIFY(from);
    from->setText(QStringLiteral("not-an-address"));
    dialog.accept();
    QVERIFY(dialog.isVisible());
    QVERIFY2(
        dialog.errorText().contains(QLatin1String("smtp.from")), qPrintable(dialog.errorText()));
    QVERIFY(!from->styleSheet().isEmpty());
    QCOMPARE(Settings(m_folder->settingsPath(), {}).smtpFrom(), QString());

    from->setText(QStringLiteral("sluice@example.org"));
    dialog.accept();
    QVERIFY(!dialog.isVisible());
    QCOMPARE(
        Settings(m_folder->settingsPath(), {}).smtpFrom(), QStringLiteral("sluice@example.org"));
}

void TestMainWindow::translatedToChinese()
{
    QTranslator translator;
    QVERIFY(translator.load(QStringLiteral(":/i18n/sluice_zh_CN.qm")));
    QCoreApplication::installTranslator(&translator);
    MainWindow window(m_settings.get(), *m_folder);
    // What is stored in English shows translated: triggers and log levels.
    QCOMPARE(triggerText(QStringLiteral("manual")), QStringLiteral("手动"));
    QCOMPARE(triggerText(QStringLiteral("some-tool")), QStringLiteral("some-tool"));
    QCOMPARE(levelText(LogLevel::Warning), QStringLiteral("警告"));
    QCoreApplication::removeTranslator(&translator);
    QStringList menus;
    for (QAction *menu : window.menuBar()->actions())
        menus << menu->text();
    QCOMPARE(menus, QStringList({ "文件(&F)", "视图(&V)", "帮助(&H)" }));
    window.setCurrentArea(Area::Runs);
    QCOMPARE(window.areaWidget(Area::Runs)->findChild<EmptyState *>()->title(),
        QStringLiteral("还没有运行记录"));

    // Qt's own catalogue, for OK, Cancel and the other standard buttons, is where the app
    // loads it from (Debian's qt6-translations-l10n, which the set-up installs).
    QTranslator qt;
    QVERIFY(qt.load(QLocale(QStringLiteral("zh_CN")), QStringLiteral("qtbase"), QStringLiteral("_"),
        QLibraryInfo::path(QLibraryInfo::TranslationsPath)));
    QCOMPARE(qt.translate("QPlatformTheme", "Cancel"), QStringLiteral("取消"));
}

// A flow that fails on its schedule is explained once, in a bar with the way to pause it, not
// again at each failure; once a scheduled run works, a new failure is told again.
void TestMainWindow::tellsOnceWhenScheduledRunsFail()
{
    ScheduleStore store(ScheduleStore::defaultPath(*m_folder));
    QVERIFY(store.setSchedule(
        QStringLiteral("demo"), *Schedule::fromCron(QStringLiteral("0 0 1 1 *"))));
    FlowRegistry registry;
    QVERIFY(registerBuiltinFlows(registry));
    Engine engine(registry);
    QVERIFY(engine.enablePersistence(m_folder->runsPath(), 30));
    MainWindow::Services services;
    services.engine = &engine;
    MainWindow window(m_settings.get(), *m_folder, services);
    window.show();
    NoticeBar *notice = window.noticeBar();
    QVERIFY(notice && !notice->isVisible());

    EngineTest::RunIds ids(engine);
    const auto runDemo = [&](bool fail, const QString &trigger) {
        RunOptions options;
        options.trigger = trigger;
        options.parameters = { { QStringLiteral("fail"), fail },
            { QStringLiteral("sleep-ms"), 1 } };
        const Result<qint64> ticket = engine.start(QStringLiteral("demo"), std::move(options));
        QVERIFY(ticket);
        QVERIFY(ids.waitFor(*ticket));
        QTRY_COMPARE(window.runsInProgress(), 0);
    };
    runDemo(true, QStringLiteral("manual")); // started by hand: the user saw it
    QVERIFY(!notice->isVisible());
    runDemo(true, QStringLiteral("schedule"));
    QTRY_VERIFY(notice->isVisible());
    QVERIFY2(notice->text().startsWith(QLatin1String("demo failed when its schedule started it")),
        qPrintable(notice->text()));
    notice->findChild<QToolButton *>(QStringLiteral("noticeClose"))->click();
    QVERIFY(!notice->isVisible());
    runDemo(true, QStringLiteral("schedule"));
    QVERIFY(!notice->isVisible()); // told once

    runDemo(false, QStringLiteral("schedule")); // works again
    runDemo(true, QStringLiteral("schedule"));
    QTRY_VERIFY(notice->isVisible());
    QPushButton *pause = nullptr;
    for (QPushButton *button : notice->findChildren<QPushButton *>()) {
        if (button->text() == QLatin1String("Pause schedule"))
            pause = button;
    }
    QVERIFY(pause);
    pause->click();
    QVERIFY(!notice->isVisible());
    QVERIFY(store.schedule(QStringLiteral("demo"))->isPaused());
}

void TestMainWindow::showsRunsInProgressInTitle()
{
    FlowRegistry registry;
    QVERIFY(registerBuiltinFlows(registry));
    Engine engine(registry);
    QVERIFY(engine.enablePersistence(m_folder->runsPath(), 30));
    MainWindow::Services services;
    services.engine = &engine;
    MainWindow window(m_settings.get(), *m_folder, services);
    window.show();
    QCOMPARE(window.windowTitle(), QStringLiteral("Sluice"));

    EngineTest::RunIds ids(engine);
    const Result<qint64> ticket =
        engine.start(QStringLiteral("demo"), { { QStringLiteral("sleep-ms"), 60000 } });
    QVERIFY(ticket);
    const qint64 run = ids.waitFor(*ticket);
    QVERIFY(run);
    QTRY_COMPARE(window.runsInProgress(), 1);
    // The platform appends " — Sluice": the title must not say it twice.
    QCOMPARE(window.windowTitle(), QStringLiteral("1 run(s) in progress"));
    auto *label = window.statusBar()->findChild<QLabel *>(QStringLiteral("runsInProgress"));
    QVERIFY(label);
    QCOMPARE(label->text(), QStringLiteral("1 run(s) in progress"));
    QVERIFY(window.trayIcon()->toolTip().contains(QStringLiteral("1 run(s) in progress")));

    window.statusBar()->showMessage(QStringLiteral("Cancelling run…"));
    QVERIFY(engine.cancel(run));
    QTRY_COMPARE(window.runsInProgress(), 0);
    QCOMPARE(window.windowTitle(), QStringLiteral("Sluice"));
    // The status says how it ended, not that it is being cancelled.
    QCOMPARE(window.statusBar()->currentMessage(),
        QStringLiteral("Run %1 of demo ended Cancelled").arg(run));
    QVERIFY(label->text().isEmpty());

    // Keep in tray needs a tray; offscreen there is none, so closing closes.
    QVERIFY(m_settings->setKeepInTray(true));
    QCOMPARE(window.trayIcon()->isAvailable(), QSystemTrayIcon::isSystemTrayAvailable());
    if (!window.trayIcon()->isAvailable()) {
        QVERIFY(window.close());
        QVERIFY(!window.isVisible());
    }
}

// The Data and Charts areas read again after a run only when it stored rows in the table they
// show: a run every minute that stores nothing there leaves them alone.
void TestMainWindow::rereadsOnlyTablesARunStoredIn()
{
    QCOMPARE(CleanTableFixture::fill(m_folder->warehousePath(), 1000), QString());
    FlowRegistry registry;
    const auto storing = [](const QString &name, const QString &table) {
        Flow flow(name, QString());
        flow.addTask({ QStringLiteral("load"), {},
            [table](TaskContext &context) -> Result<QVariant> {
                if (!table.isEmpty())
                    context.noteStored(table, 5);
                return QVariant(5);
            },
            {}, {} });
        return flow;
    };
    QVERIFY(registry.add(storing(QStringLiteral("store-nothing"), QString())));
    QVERIFY(registry.add(storing(QStringLiteral("store-prices"), QStringLiteral("coin_price"))));
    QVERIFY(registry.add(
        storing(QStringLiteral("store-clean"), QLatin1String(CleanTableFixture::CleanTable))));
    Engine engine(registry);
    QVERIFY(engine.enablePersistence(m_folder->runsPath(), 30));
    MainWindow::Services services;
    services.engine = &engine;
    MainWindow window(m_settings.get(), *m_folder, services);
    window.show();
    auto *data = qobject_cast<DataView *>(window.areaWidget(Area::Data));
    auto *charts = qobject_cast<ChartsView *>(window.areaWidget(Area::Charts));
    QVERIFY(data && charts);
    QTRY_COMPARE(data->model()->totalRows(), qint64(1000));
    QSignalSpy reloads(data->model(), &WarehouseTableModel::reloaded);
    QTRY_VERIFY(charts->pointCount() > 0);
    QSignalSpy chartLoads(charts, &ChartsView::loaded);

    QSignalSpy finished(&engine, &Engine::runFinished);
    QVERIFY(engine.start(QStringLiteral("store-nothing"), QVariantMap()));
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(engine.start(QStringLiteral("store-prices"), QVariantMap()));
    QTRY_COMPARE(finished.size(), 2);
    QCoreApplication::processEvents();
    QCOMPARE(reloads.size(), 0);
    QCOMPARE(chartLoads.size(), 0);

    QVERIFY(engine.start(QStringLiteral("store-clean"), QVariantMap()));
    QTRY_COMPARE(finished.size(), 3);
    QTRY_COMPARE(reloads.size(), 1);
    QTRY_COMPARE(chartLoads.size(), 1);
}

namespace {
QStringList loggedWarnings;
void recordWarning(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtWarningMsg)
        loggedWarnings << message;
}
} // namespace

void TestMainWindow::toldOnceAboutUnreadableSettings()
{
    const QString ini = m_folder->settingsPath();
    QFile file(ini);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.write("[ui]\nkeep-in-tray=true\n\x7f\x45LF\x02\x01\n") > 0);
    file.close();
    Settings settings(ini, QMap<QString, QString>());
    const QString problem = ini + QStringLiteral(": line 3 contains the control character 0x02");

    loggedWarnings.clear();
    const QtMessageHandler previous = qInstallMessageHandler(recordWarning);
    {
        MainWindow window(&settings, *m_folder);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY2(window.statusBar()->currentMessage().contains(problem),
            qPrintable(window.statusBar()->currentMessage()));
        window.setCurrentArea(Area::Runs);
        window.setCurrentArea(Area::Flows);
    }
    qInstallMessageHandler(previous);
    QCOMPARE(loggedWarnings.filter(problem).size(), 1);
    QVERIFY2(loggedWarnings.filter(problem).first().startsWith(QLatin1String("sluice: warning: ")),
        qPrintable(loggedWarnings.join(u'\n')));
}

QStringList TestMainWindow::runsQuery(const QString &sql) const
{
    Result<SqliteConnection> db = SqliteConnection::open(
        m_folder->runsPath(), QStringLiteral("test"), SqliteConnection::Mode::ReadOnly);
    if (!db)
        return { db.error().message() };
    QSqlQuery query(db->database());
    if (!query.exec(sql))
        return { QStringLiteral("query failed") };
    QStringList rows;
    while (query.next())
        rows << query.value(0).toString();
    return rows;
}

void TestMainWindow::signalEndsWindowProcess_data()
{
    QTest::addColumn<int>("signal");
    QTest::addColumn<int>("second"); // sent right after the first; 0: none
    QTest::addColumn<QString>("name");
    QTest::newRow("SIGTERM") << int(SIGTERM) << 0 << QStringLiteral("SIGTERM");
    QTest::newRow("SIGINT") << int(SIGINT) << 0 << QStringLiteral("SIGINT");
    QTest::newRow("SIGHUP") << int(SIGHUP) << 0 << QStringLiteral("SIGHUP");
    QTest::newRow("SIGTERM, then SIGINT while closing")
        << int(SIGTERM) << int(SIGINT) << QStringLiteral("SIGTERM");
}

// The real window process, its scheduler running btc-update against a server that never
// answers (so the run is in progress until cancelled): a signal makes it cancel the run,
// record it Cancelled and exit 0 within 5 s; a second signal meanwhile changes nothing.
void TestMainWindow::signalEndsWindowProcess()
{
    QFETCH(int, signal);
    QFETCH(int, second);
    QFETCH(QString, name);
    HttpFixture server;
    QVERIFY(server.listen());
    server.setFallback([](const HttpFixture::Request &) {
        HttpFixture::Response silent = HttpFixture::Response::json("[]");
        silent.delayMs = 120000;
        return silent;
    });
    ScheduleStore schedules(ScheduleStore::defaultPath(*m_folder));
    for (const QString &flow : DefaultSchedules::builtIn().keys())
        QVERIFY(DefaultSchedules::setCleared(schedules, flow, true));
    Result<Schedule> everySecond = Schedule::fromInterval(QStringLiteral("1s"));
    QVERIFY(everySecond);
    QVERIFY(schedules.setSchedule(QStringLiteral("btc-update"), *everySecond));

    QProcess window;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *variable : { "SLUICE_DATA_DIR", "DISPLAY", "WAYLAND_DISPLAY", "http_proxy",
             "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY" })
        environment.remove(QLatin1String(variable));
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("HOME"), m_home.path());
    environment.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    environment.insert(QStringLiteral("LANGUAGE"), QString());
    environment.insert(QStringLiteral("SLUICE_BINANCE_URL"), server.url().toString());
    environment.insert(QStringLiteral("SLUICE_MEMPOOL_URL"), server.url().toString());
    window.setProcessEnvironment(environment);
    window.start(
        QStringLiteral(SLUICE_EXECUTABLE), { QStringLiteral("--data-dir"), m_folder->path() });
    QVERIFY(window.waitForStarted());

    // The run waits for the server (this thread's event loop serves it meanwhile).
    QTRY_VERIFY_WITH_TIMEOUT(!server.requests().isEmpty(), 20000);
    QCOMPARE(runsQuery(QStringLiteral("SELECT state FROM flow_runs")),
        QStringList{ QStringLiteral("Running") });

    ::kill(pid_t(window.processId()), signal);
    if (second)
        ::kill(pid_t(window.processId()), second);
    QTRY_VERIFY_WITH_TIMEOUT(window.state() == QProcess::NotRunning, 5000);
    const QString err = QString::fromUtf8(window.readAllStandardError());
    QCOMPARE(window.exitStatus(), QProcess::NormalExit);
    QVERIFY2(window.exitCode() == 0, qPrintable(err));
    QVERIFY2(err.contains(name + QStringLiteral(" received: closing (1 run(s) to cancel)")),
        qPrintable(err));
    QCOMPARE(runsQuery(QStringLiteral("SELECT state FROM flow_runs")),
        QStringList{ QStringLiteral("Cancelled") });
    QCOMPARE(runsQuery(QStringLiteral("SELECT message FROM flow_runs")),
        QStringList{ QStringLiteral("cancelled by %1: Sluice is closing").arg(name) });
    QCOMPARE(runsQuery(QStringLiteral(
                 "SELECT COUNT(*) FROM task_runs WHERE state IN ('Running', 'Pending')")),
        QStringList{ QStringLiteral("0") });
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
