// SchedulerLock: one scheduler per data folder. Another process (this test binary started
// again as a lock holder) holds the lock and is named; a lock left by a killed process is
// taken over.

#include <cstdio>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "schedule/schedulerlock.h"

using namespace Sluice;

namespace {

// Set in the environment of the child that holds the lock: the lock file's path.
constexpr const char *HoldVariable = "SLUICE_TEST_HOLD_SCHEDULER_LOCK";

// The child: takes the lock, says so, and holds it until its standard input closes.
int holdLock()
{
    SchedulerLock lock(qEnvironmentVariable(HoldVariable));
    if (Result<void> locked = lock.tryLock(); !locked) {
        std::fprintf(stderr, "%s\n", qPrintable(locked.error().message()));
        return 3;
    }
    std::printf("locked %lld\n", QCoreApplication::applicationPid());
    std::fflush(stdout);
    while (std::getchar() != EOF) { }
    return 0;
}

} // namespace

class TestSchedulerLock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void secondLockInProcessIsRefused();
    void otherProcessIsNamed();
    void lockOfKilledProcessIsTakenOver();
    void unusableFolder();

private:
    QString lockPath() const { return m_dir->filePath(QStringLiteral("scheduler.lock")); }
    bool startHolder(QProcess &process, qint64 &pid);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestSchedulerLock::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

bool TestSchedulerLock::startHolder(QProcess &process, qint64 &pid)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QLatin1String(HoldVariable), lockPath());
    process.setProcessEnvironment(environment);
    process.start(QCoreApplication::applicationFilePath(), {});
    if (!process.waitForStarted())
        return false;
    while (!process.canReadLine()) {
        if (!process.waitForReadyRead(30000))
            return false;
    }
    const QByteArray line = process.readLine().trimmed();
    if (!line.startsWith("locked "))
        return false;
    pid = line.mid(7).toLongLong();
    return pid == process.processId();
}

void TestSchedulerLock::secondLockInProcessIsRefused()
{
    SchedulerLock first(lockPath());
    QVERIFY(first.tryLock());
    QVERIFY(first.isLocked());
    QVERIFY(first.tryLock()); // again: still ours

    SchedulerLock second(lockPath());
    Result<void> refused = second.tryLock();
    QVERIFY(!refused);
    QVERIFY(!second.isLocked());
    QCOMPARE(refused.error().where, QDir::toNativeSeparators(lockPath()));
    const QString pid = QString::number(QCoreApplication::applicationPid());
    QVERIFY2(refused.error().what.startsWith(
                 QStringLiteral("the scheduler of this data folder runs in process ") + pid),
        qPrintable(refused.error().what));
    QVERIFY(second.holder());
    QCOMPARE(second.holder()->pid, QCoreApplication::applicationPid());

    first.unlock();
    QVERIFY(second.tryLock());
}

void TestSchedulerLock::otherProcessIsNamed()
{
    QProcess holder;
    qint64 pid = 0;
    QVERIFY2(startHolder(holder, pid), holder.readAllStandardError().constData());

    SchedulerLock lock(lockPath());
    Result<void> refused = lock.tryLock();
    QVERIFY(!refused);
    QVERIFY2(refused.error().what.contains(QStringLiteral("process %1 (").arg(pid)),
        qPrintable(refused.error().message()));
    QVERIFY(refused.error().what.contains(QSysInfo::machineHostName()));
    QCOMPARE(lock.holder()->pid, pid);

    // The holder ends normally and lets go; now this process gets the lock.
    holder.closeWriteChannel();
    QVERIFY(holder.waitForFinished(30000));
    QCOMPARE(holder.exitCode(), 0);
    QVERIFY(lock.tryLock());
}

void TestSchedulerLock::lockOfKilledProcessIsTakenOver()
{
    QProcess holder;
    qint64 pid = 0;
    QVERIFY2(startHolder(holder, pid), holder.readAllStandardError().constData());
    holder.kill(); // SIGKILL: the lock file stays behind
    QVERIFY(holder.waitForFinished(30000));
    QVERIFY(QFileInfo::exists(lockPath()));

    SchedulerLock lock(lockPath());
    QCOMPARE(lock.holder()->pid, pid);
    Result<void> locked = lock.tryLock();
    QVERIFY2(locked, qPrintable(locked ? QString() : locked.error().message()));
    QCOMPARE(lock.holder()->pid, QCoreApplication::applicationPid());
}

void TestSchedulerLock::unusableFolder()
{
    SchedulerLock lock(m_dir->filePath(QStringLiteral("missing/folder/scheduler.lock")));
    Result<void> locked = lock.tryLock();
    QVERIFY(!locked);
    QVERIFY(locked.error().where.endsWith(QLatin1String("scheduler.lock")));
    QVERIFY(!locked.error().what.isEmpty());
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(HoldVariable))
        return holdLock();
    TestSchedulerLock test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_schedulerlock.moc"
