#include "pgserver.h"

#include <csignal>
#include <pwd.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTcpServer>
#include <QThread>

namespace {

const QString Bin = QStringLiteral("/usr/lib/postgresql/15/bin/");
const QString TestPassword = QStringLiteral("sluice-test");

bool isRoot()
{
    return ::getuid() == 0;
}

// Gives the folder (recursively) to postgres when root, so that the server can own its data.
bool giveToPostgres(const QString &path)
{
    if (!isRoot())
        return true;
    const passwd *pw = ::getpwnam("postgres");
    if (!pw)
        return false;
    QProcess chown;
    chown.start(QStringLiteral("chown"),
        { QStringLiteral("-R"), QStringLiteral("postgres:postgres"), path });
    return chown.waitForFinished(30000) && chown.exitCode() == 0;
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace

QStringList PgServer::asPostgres(const QString &program, const QStringList &arguments) const
{
    if (!isRoot())
        return QStringList{ program } + arguments;
    return QStringList{ QStringLiteral("runuser"), QStringLiteral("-u"), QStringLiteral("postgres"),
        QStringLiteral("--"), program }
    + arguments;
}

bool PgServer::runTool(const QString &program, const QStringList &arguments, int timeoutMs)
{
    const QStringList command = asPostgres(program, arguments);
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(QDir::rootPath()); // postgres may not read the test's folder
    process.start(command.first(), command.mid(1));
    if (!process.waitForFinished(timeoutMs) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        m_error = QStringLiteral("%1 failed: %2")
                      .arg(QFileInfo(program).fileName(),
                          QString::fromLocal8Bit(process.readAll()).trimmed().right(600));
        return false;
    }
    return true;
}

bool PgServer::makeTemplate(const QString &templateDir)
{
    // Made beside, then renamed into place: tests starting at once never see half a template.
    const QString building =
        templateDir + QStringLiteral(".building-%1").arg(QCoreApplication::applicationPid());
    QDir(building).removeRecursively();
    if (!QDir().mkpath(building) || !giveToPostgres(building))
        return (m_error = QStringLiteral("cannot make %1").arg(building)), false;
    QFile::setPermissions(building,
        QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther);
    if (!runTool(Bin + QStringLiteral("initdb"),
            { QStringLiteral("-D"), building, QStringLiteral("-U"), QStringLiteral("postgres"),
                QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("-E"),
                QStringLiteral("UTF8"), QStringLiteral("--locale=C.UTF-8"),
                QStringLiteral("--no-sync") }))
        return false;
    QFile hba(building + QStringLiteral("/pg_hba.conf"));
    if (!hba.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return (m_error = QStringLiteral("cannot write pg_hba.conf")), false;
    hba.write("local all all trust\n"
              "host all postgres 127.0.0.1/32 trust\n"
              "host all all 127.0.0.1/32 scram-sha-256\n");
    hba.close();
    giveToPostgres(building);
    if (::rename(
            QFile::encodeName(building).constData(), QFile::encodeName(templateDir).constData())
        != 0) {
        QDir(building).removeRecursively(); // another test made it first
    }
    return QFileInfo::exists(templateDir + QStringLiteral("/PG_VERSION"));
}

PgServer::PgServer()
{
    if (!QFileInfo::exists(Bin + QStringLiteral("pg_ctl"))) {
        m_error = QStringLiteral("PostgreSQL 15 is not installed (%1pg_ctl missing)").arg(Bin);
        return;
    }
    if (isRoot() && !::getpwnam("postgres")) {
        m_error = QStringLiteral("running as root and there is no user postgres");
        return;
    }
    if (QDir(QStringLiteral("/dev/shm")).exists())
        m_dir = std::make_unique<QTemporaryDir>(QStringLiteral("/dev/shm/sluice-pg-XXXXXX"));
    else
        m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid()) {
        m_error = QStringLiteral("no temporary folder");
        return;
    }
    // postgres must reach its folder through ours.
    QFile::setPermissions(m_dir->path(),
        QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther);
    const QString shm =
        QDir(QStringLiteral("/dev/shm")).exists() ? QStringLiteral("/dev/shm") : QDir::tempPath();
    const QString templateDir = shm + QStringLiteral("/sluice-pg15-template-%1").arg(::getuid());
    if (!QFileInfo::exists(templateDir + QStringLiteral("/PG_VERSION"))
        && !makeTemplate(templateDir))
        return;
    m_data = m_dir->path() + QStringLiteral("/data");
    QProcess copy;
    copy.start(QStringLiteral("cp"), { QStringLiteral("-a"), templateDir, m_data });
    if (!copy.waitForFinished(60000) || copy.exitCode() != 0) {
        m_error = QStringLiteral("cannot copy the cluster template: %1")
                      .arg(QString::fromLocal8Bit(copy.readAllStandardError()));
        return;
    }
    giveToPostgres(m_data);
    m_port = freePort();
    if (m_port == 0) {
        m_error = QStringLiteral("no free port");
        return;
    }
    start();
}

PgServer::~PgServer()
{
    if (!m_data.isEmpty() && QFileInfo::exists(m_data + QStringLiteral("/postmaster.pid"))) {
        runTool(Bin + QStringLiteral("pg_ctl"),
            { QStringLiteral("-D"), m_data, QStringLiteral("-m"), QStringLiteral("immediate"),
                QStringLiteral("-w"), QStringLiteral("stop") },
            30000);
    }
}

bool PgServer::start()
{
    const QString options =
        QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off -c max_connections=120 "
                       "-c shared_buffers=32MB -c dynamic_shared_memory_type=mmap")
            .arg(m_port)
            .arg(m_data);
    if (!runTool(Bin + QStringLiteral("pg_ctl"),
            { QStringLiteral("-D"), m_data, QStringLiteral("-o"), options, QStringLiteral("-l"),
                m_data + QStringLiteral("/server.log"), QStringLiteral("-w"), QStringLiteral("-t"),
                QStringLiteral("60"), QStringLiteral("start") })) {
        QFile log(m_data + QStringLiteral("/server.log"));
        if (log.open(QIODevice::ReadOnly))
            m_error += QStringLiteral("\n") + QString::fromLocal8Bit(log.readAll().right(1000));
        return false;
    }
    m_error.clear();
    return true;
}

void PgServer::kill()
{
    QFile pidFile(m_data + QStringLiteral("/postmaster.pid"));
    if (!pidFile.open(QIODevice::ReadOnly))
        return;
    const qint64 pid = pidFile.readLine().trimmed().toLongLong();
    if (pid <= 0)
        return;
    ::kill(pid_t(pid), SIGKILL);
    // The backends notice the postmaster is gone and end; wait until the port is free.
    for (int i = 0; i < 200 && ::kill(pid_t(pid), 0) == 0; ++i)
        QThread::msleep(25);
    QThread::msleep(200);
    QFile::remove(m_data + QStringLiteral("/postmaster.pid"));
}

QString PgServer::socketDir() const
{
    return m_data;
}

bool PgServer::psql(const QString &sql, const QString &database)
{
    return runTool(QStringLiteral("/usr/bin/psql"),
        { QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"),
            QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-h"), m_data, QStringLiteral("-p"),
            QString::number(m_port), QStringLiteral("-U"), QStringLiteral("postgres"),
            QStringLiteral("-d"), database, QStringLiteral("-c"), sql });
}

bool PgServer::createUser(const QString &user, const QString &password)
{
    QString quoted = password;
    quoted.replace(QLatin1Char('\''), QStringLiteral("''"));
    return psql(QStringLiteral("CREATE ROLE \"%1\" LOGIN PASSWORD '%2'").arg(user, quoted));
}

bool PgServer::createDatabase(const QString &database, const QString &owner)
{
    return psql(QStringLiteral("CREATE DATABASE \"%1\" OWNER \"%2\"").arg(database, owner));
}

QString PgServer::url(const QString &database)
{
    if (!m_databases.contains(database)) {
        if (m_databases.isEmpty() && !createUser(QStringLiteral("sluice"), TestPassword))
            return {};
        if (!createDatabase(database, QStringLiteral("sluice")))
            return {};
        m_databases.append(database);
    }
    return QStringLiteral("postgresql://sluice:%1@127.0.0.1:%2/%3")
        .arg(TestPassword)
        .arg(m_port)
        .arg(database);
}
