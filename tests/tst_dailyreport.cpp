// The daily-report flow and `sluice send-report` end to end against a real SMTP server on
// loopback (tests/smtpserver.py): the previous UTC day exported and attached byte for byte,
// day=YYYY-MM-DD, no recipients ending Skipped, and send-report with the settings of
// `sluice config set` and the password of `sluice config set-password --store file` to a
// server that requires AUTH (a wrong password exits 1 quoting 535).

#include <optional>

#include <QBuffer>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include "sluiceprocess.h"

#include "engine/engine.h"
#include "engine/flowregistry.h"
#include "engine/runstore.h"
#include "engine/taskcontext.h"
#include "flows/builtinflows.h"
#include "flows/dailyreportflow.h"
#include "instance/instance.h"
#include "settings/datafolder.h"
#include "settings/settings.h"
#include "smtpfixture.h"
#include "storage/csvexporter.h"
#include "storage/sqliteconnection.h"

using namespace Sluice;

class TestDailyReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void dayParameter_data();
    void dayParameter();
    void reportOfDayIsDelivered_data();
    void reportOfDayIsDelivered();
    void noRecipientsEndsSkipped();
    void runTimeChoosesTheDay();
    void sendReportWithAuth();
    void sendReportWrongPassword();
    void sendReportUsage();
    void taskSkipEndsRunSkipped_data();
    void taskSkipEndsRunSkipped();

private:
    QString dataDir() const { return m_dir->filePath(QStringLiteral("data")); }
    // Clean rows every 5 minutes from 2024-03-07 23:00 to 2024-03-09 01:00 UTC.
    void fillWarehouse();
    void configure(quint16 port, const QString &recipients, const QString &user = {});
    int sluice(const QStringList &args, QString *out = nullptr, QString *err = nullptr,
        const QByteArray &input = {});
    std::optional<RunFinishedEvent> runFlow(const QVariantMap &parameters);
    QByteArray attachment(const SmtpFixture &server, int message, QString *fileName) const;

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestDailyReport::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(DataFolder::open(dataDir()));
}

static qint64 utc(int y, int m, int d, int h, int min)
{
    return QDateTime(QDate(y, m, d), QTime(h, min), Qt::UTC).toSecsSinceEpoch();
}

void TestDailyReport::fillWarehouse()
{
    Result<DataFolder> folder = DataFolder::open(dataDir());
    QVERIFY(folder);
    Result<SqliteConnection> db =
        SqliteConnection::open(folder->warehousePath(), QStringLiteral("fill"));
    QVERIFY(db);
    QSqlDatabase database = db->database();
    QVERIFY(database.transaction());
    QSqlQuery insert(database);
    QVERIFY(insert.prepare(QStringLiteral(
        "INSERT INTO btc_usd_price_with_net_stat (timeframe, start_timestamp, price, hash_rate, "
        "difficulty) VALUES ('5m', ?, ?, ?, ?)")));
    for (qint64 t = utc(2024, 3, 7, 23, 0); t <= utc(2024, 3, 9, 1, 0); t += 300) {
        insert.addBindValue(t);
        insert.addBindValue(60000.0 + double(t % 7919) / 100.0);
        insert.addBindValue(7.365750402566894e+20 + double(t));
        insert.addBindValue(79351228131136.0);
        QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
    }
    QVERIFY(database.commit());
}

void TestDailyReport::configure(quint16 port, const QString &recipients, const QString &user)
{
    Settings settings(DataFolder::open(dataDir())->settingsPath());
    QMap<QString, QString> values{ { QStringLiteral("smtp.host"), QStringLiteral("127.0.0.1") },
        { QStringLiteral("smtp.port"), QString::number(port) },
        { QStringLiteral("smtp.security"), QStringLiteral("none") },
        { QStringLiteral("smtp.from"), QStringLiteral("sluice@example.org") } };
    if (!recipients.isEmpty())
        values.insert(QStringLiteral("report.recipients"), recipients);
    if (!user.isEmpty())
        values.insert(QStringLiteral("smtp.user"), user);
    Result<void> ok = settings.setTexts(values);
    QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().message()));
}

int TestDailyReport::sluice(
    const QStringList &args, QString *out, QString *err, const QByteArray &input)
{
    QProcess process;
    process.setProcessEnvironment(
        SluiceProcess::environment({ { QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QString() } }));
    process.start(QStringLiteral(SLUICE_EXECUTABLE),
        QStringList{ QStringLiteral("--data-dir"), dataDir() } + args);
    if (!input.isNull()) {
        process.write(input);
    }
    process.closeWriteChannel();
    const SluiceProcess::Output output = SluiceProcess::finish(process, 60000);
    if (output.code == -1)
        return -1;
    if (out)
        *out = output.out;
    if (err)
        *err = output.err;
    return output.code;
}

std::optional<RunFinishedEvent> TestDailyReport::runFlow(const QVariantMap &parameters)
{
    Result<std::unique_ptr<Instance>> instance = Instance::open(dataDir());
    if (!instance || !(*instance)->startEngine())
        return std::nullopt;
    Engine &engine = (*instance)->engine();
    QSignalSpy finished(&engine, &Engine::runFinished);
    Result<qint64> ticket = engine.start(QLatin1String(DailyReportFlow::Name), parameters);
    if (!ticket)
        return std::nullopt;
    if (!finished.wait(60000))
        return std::nullopt;
    if (!engine.flush())
        return std::nullopt;
    return finished.first().first().value<RunFinishedEvent>();
}

QByteArray TestDailyReport::attachment(
    const SmtpFixture &server, int message, QString *fileName) const
{
    const QJsonArray parts =
        server.message(message).value(u"message").toObject().value(u"parts").toArray();
    for (const auto &value : parts) {
        const QJsonObject part = value.toObject();
        if (part.value(u"disposition").toString() == u"attachment") {
            *fileName = part.value(u"filename").toString();
            return QByteArray::fromBase64(part.value(u"payload_base64").toString().toLatin1());
        }
    }
    return {};
}

void TestDailyReport::dayParameter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<qint64>("start");

    QTest::newRow("empty: yesterday")
        << "" << true << "sluice-report-2024-03-08.csv" << utc(2024, 3, 8, 0, 0);
    QTest::newRow("a day") << "2024-02-29" << true << "sluice-report-2024-02-29.csv"
                           << utc(2024, 2, 29, 0, 0);
    QTest::newRow("all") << "all" << true << "sluice-report-all-2024-03-09.csv" << qint64(0);
    QTest::newRow("not a day") << "2024-02-30" << false << "" << qint64(0);
    QTest::newRow("short") << "2024-3-8" << false << "" << qint64(0);
    QTest::newRow("words") << "yesterday" << false << "" << qint64(0);
}

void TestDailyReport::dayParameter()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, fileName);
    QFETCH(qint64, start);
    const QDate today(2024, 3, 9);
    Result<DailyReportFlow::Day> day = DailyReportFlow::Day::parse(text, today);
    QCOMPARE(bool(day), valid);
    if (!valid) {
        QVERIFY(day.error().message().contains(text));
        return;
    }
    QCOMPARE(day->fileName(today), fileName);
    QCOMPARE(day->startSeconds(), start);
    if (day->date)
        QCOMPARE(day->endSeconds(), start + 86400);
}

void TestDailyReport::reportOfDayIsDelivered_data()
{
    QTest::addColumn<QString>("day");
    QTest::newRow("2024-03-08") << "2024-03-08";
    QTest::newRow("2024-03-07 (partial day)") << "2024-03-07";
}

void TestDailyReport::reportOfDayIsDelivered()
{
    QFETCH(QString, day);
    fillWarehouse();
    SmtpFixture server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    configure(server.port(), QStringLiteral("ops@example.org, boss@example.org"));

    std::optional<RunFinishedEvent> finished = runFlow({ { QStringLiteral("day"), day } });
    QVERIFY(finished);
    QVERIFY2(finished->state == RunState::Completed, qPrintable(finished->message));
    QCOMPARE(server.messageCount(), 1);
    const QJsonObject delivered = server.message(1);
    QCOMPARE(delivered.value(u"rcpt_tos").toVariant().toStringList(),
        (QStringList{ QStringLiteral("ops@example.org"), QStringLiteral("boss@example.org") }));
    QVERIFY(delivered.value(u"message")
                .toObject()
                .value(u"headers")
                .toObject()
                .value(u"Subject")
                .toString()
                .contains(day));

    QString fileName;
    const QByteArray csv = attachment(server, 1, &fileName);
    QCOMPARE(fileName, QStringLiteral("sluice-report-%1.csv").arg(day));
    // The exact bytes of the exporter for [00:00, 24:00) of that day.
    const QDate date = QDate::fromString(day, Qt::ISODate);
    CsvRequest request;
    request.start = QDateTime(date, QTime(0, 0), Qt::UTC).toSecsSinceEpoch();
    request.end = *request.start + 86400;
    QByteArray expected;
    QBuffer buffer(&expected);
    buffer.open(QIODevice::WriteOnly);
    CsvExporter exporter(DataFolder::open(dataDir())->warehousePath());
    QVERIFY(exporter.exportToDevice(request, &buffer, QStringLiteral("expected")));
    QCOMPARE(csv, expected);
    // Independently of the exporter: the header, then one row per slot of the day in range.
    const QList<QByteArray> lines = csv.split('\n');
    QCOMPARE(lines.first(), QByteArray("timeframe,start_timestamp,price,hash_rate,difficulty\r"));
    const qint64 first = qMax(*request.start, utc(2024, 3, 7, 23, 0));
    const qint64 last = *request.start + 86400 - 300;
    QCOMPARE(lines.size() - 2, int((last - first) / 300 + 1)); // minus header and the final ""
    QVERIFY(lines.at(1).startsWith("5m," + QByteArray::number(first) + ','));
    QVERIFY(lines.at(lines.size() - 2).startsWith("5m," + QByteArray::number(last) + ','));
}

void TestDailyReport::noRecipientsEndsSkipped()
{
    fillWarehouse();
    SmtpFixture server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    configure(server.port(), QString());

    std::optional<RunFinishedEvent> finished = runFlow({});
    QVERIFY(finished);
    QCOMPARE(finished->state, RunState::Skipped);
    QVERIFY2(finished->message.contains(QLatin1String("no report recipients")),
        qPrintable(finished->message));
    QCOMPARE(server.messageCount(), 0);
    // The history says the same: run Skipped, both tasks Skipped, the reason logged.
    Result<std::unique_ptr<RunStore>> store =
        RunStore::open(DataFolder::open(dataDir())->runsPath());
    QVERIFY(store);
    Result<std::optional<FlowRunRecord>> run = (*store)->run(finished->runId);
    QVERIFY(run && *run);
    QCOMPARE((*run)->state, RunState::Skipped);
    Result<QList<TaskRunRecord>> tasks = (*store)->tasks(finished->runId);
    QVERIFY(tasks);
    QCOMPARE(tasks->size(), 2);
    for (const TaskRunRecord &task : std::as_const(*tasks))
        QCOMPARE(task.state, RunState::Skipped);
    Result<QList<LogRecord>> log = (*store)->logLines(finished->runId);
    QVERIFY(log);
    QVERIFY(!log->isEmpty());
    QVERIFY(log->first().text.contains(QLatin1String("no report recipients")));
}

// Without day=, the report is of the UTC day before the run's logical time, not before the
// clock: `sluice run daily-report --time 2024-03-09T06:30:00Z` sends 2024-03-08.
void TestDailyReport::runTimeChoosesTheDay()
{
    fillWarehouse();
    SmtpFixture server;
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    configure(server.port(), QStringLiteral("ops@example.org"));
    QString out;
    QString err;
    const int code = sluice({ QStringLiteral("run"), QStringLiteral("daily-report"),
                                QStringLiteral("--time"), QStringLiteral("2024-03-09T06:30:00Z") },
        &out, &err);
    QVERIFY2(code == 0, qPrintable(err + out));
    QVERIFY2(err.contains(QLatin1String("of 2024-03-08")), qPrintable(err));
    QCOMPARE(server.messageCount(), 1);
    QString fileName;
    QVERIFY(!attachment(server, 1, &fileName).isEmpty());
    QCOMPARE(fileName, QStringLiteral("sluice-report-2024-03-08.csv"));
}

void TestDailyReport::sendReportWithAuth()
{
    fillWarehouse();
    SmtpFixture::Options options;
    options.user = QStringLiteral("bob");
    options.password = QStringLiteral("s3cret pass");
    SmtpFixture server(options);
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    const QList<QStringList> settings{ { "smtp.host", "127.0.0.1" },
        { "smtp.port", QString::number(server.port()) }, { "smtp.security", "none" },
        { "smtp.user", "bob" }, { "smtp.from", "sluice@example.org" },
        { "report.recipients", "ops@example.org" } };
    for (const QStringList &setting : settings) {
        QString err;
        QVERIFY2(sluice(QStringList{ QStringLiteral("config"), QStringLiteral("set") } + setting,
                     nullptr, &err)
                == 0,
            qPrintable(err));
    }
    QString out;
    QString err;
    QCOMPARE(sluice({ QStringLiteral("config"), QStringLiteral("set-password"),
                        QStringLiteral("--store"), QStringLiteral("file") },
                 &out, &err, "s3cret pass\n"),
        0);

    QCOMPARE(sluice({ QStringLiteral("send-report") }, &out, &err), 0);
    QVERIFY2(out.startsWith(QLatin1String("Report sent (run 1)")), qPrintable(out + err));
    QVERIFY(!out.contains(QLatin1String("s3cret")) && !err.contains(QLatin1String("s3cret")));
    QCOMPARE(server.messageCount(), 1);
    QCOMPARE(server.message(1).value(u"auth_user").toString(), QStringLiteral("bob"));
    QString fileName;
    const QByteArray csv = attachment(server, 1, &fileName);
    QVERIFY2(fileName.startsWith(QLatin1String("sluice-report-all-")), qPrintable(fileName));
    // The full report: the same bytes as `sluice export -o -`.
    QString exported;
    QCOMPARE(
        sluice({ QStringLiteral("export"), QStringLiteral("-o"), QStringLiteral("-") }, &exported),
        0);
    QCOMPARE(csv, exported.toUtf8());
    QCOMPARE(csv.count('\n'), 1 + int((utc(2024, 3, 9, 1, 0) - utc(2024, 3, 7, 23, 0)) / 300 + 1));
    // Recorded in the history as a run of daily-report.
    Result<std::unique_ptr<RunStore>> store =
        RunStore::open(DataFolder::open(dataDir())->runsPath());
    QVERIFY(store);
    Result<std::optional<FlowRunRecord>> run = (*store)->run(1);
    QVERIFY(run && *run);
    QCOMPARE((*run)->flow, QStringLiteral("daily-report"));
    QCOMPARE((*run)->trigger, QStringLiteral("send-report"));
    QCOMPARE((*run)->state, RunState::Completed);
}

void TestDailyReport::sendReportWrongPassword()
{
    fillWarehouse();
    SmtpFixture::Options options;
    options.user = QStringLiteral("bob");
    options.password = QStringLiteral("right");
    SmtpFixture server(options);
    QVERIFY2(server.isRunning(), qPrintable(server.errorString()));
    configure(server.port(), QStringLiteral("ops@example.org"), QStringLiteral("bob"));
    QCOMPARE(sluice({ QStringLiteral("config"), QStringLiteral("set-password"),
                        QStringLiteral("--store"), QStringLiteral("file") },
                 nullptr, nullptr, "wrong\n"),
        0);
    QString out;
    QString err;
    QCOMPARE(sluice({ QStringLiteral("send-report") }, &out, &err), 1);
    QVERIFY2(err.contains(QLatin1String("535")), qPrintable(err));
    QVERIFY2(err.contains(QLatin1String("ended Failed")), qPrintable(err));
    QVERIFY(!err.contains(QLatin1String("wrong\n")));
    QCOMPARE(server.messageCount(), 0);
}

void TestDailyReport::sendReportUsage()
{
    QString err;
    QCOMPARE(sluice({ QStringLiteral("send-report"), QStringLiteral("now") }, nullptr, &err), 2);
    QVERIFY2(err.contains(QLatin1String("\"send-report\" takes no arguments")), qPrintable(err));
}

void TestDailyReport::taskSkipEndsRunSkipped_data()
{
    QTest::addColumn<bool>("siblingFails");
    QTest::addColumn<RunState>("runState");
    QTest::newRow("alone") << false << RunState::Skipped;
    QTest::newRow("a failure outranks a skip") << true << RunState::Failed;
}

// TaskContext::skip(): the engine API the report's "no recipients" relies on.
void TestDailyReport::taskSkipEndsRunSkipped()
{
    QFETCH(bool, siblingFails);
    QFETCH(RunState, runState);
    Flow flow(QStringLiteral("skipper"), QStringLiteral("skips"));
    flow.addTask({ QStringLiteral("check"), {},
        [](TaskContext &context) -> Result<QVariant> {
            context.skip(QStringLiteral("nothing to do"));
            return QVariant();
        },
        {}, {} });
    flow.addTask({ QStringLiteral("after"), { QStringLiteral("check") },
        [](TaskContext &) -> Result<QVariant> { return QVariant(1); }, {}, {} });
    flow.addTask({ QStringLiteral("sibling"), {},
        [siblingFails](TaskContext &context) -> Result<QVariant> {
            context.sleep(50);
            if (siblingFails)
                return Error{ QStringLiteral("broken"), {} };
            return QVariant(2);
        },
        {}, {} });
    FlowRegistry registry;
    QVERIFY(registry.add(flow));
    Engine engine(registry);
    QSignalSpy finished(&engine, &Engine::runFinished);
    QSignalSpy states(&engine, &Engine::taskStateChanged);
    QVERIFY(engine.start(QStringLiteral("skipper")));
    QVERIFY(finished.wait(10000));
    const auto event = finished.first().first().value<RunFinishedEvent>();
    QCOMPARE(event.state, runState);
    QCOMPARE(
        event.message, siblingFails ? QStringLiteral("broken") : QStringLiteral("nothing to do"));
    QHash<QString, RunState> last;
    for (const QList<QVariant> &args : std::as_const(states)) {
        const auto change = args.first().value<TaskStateEvent>();
        last.insert(change.task, change.state);
    }
    QCOMPARE(last.value(QStringLiteral("check")), RunState::Skipped);
    QCOMPARE(last.value(QStringLiteral("after")), RunState::Skipped);
    QCOMPARE(last.value(QStringLiteral("sibling")),
        siblingFails ? RunState::Failed : RunState::Completed);
}

QTEST_GUILESS_MAIN(TestDailyReport)
#include "tst_dailyreport.moc"
