#pragma once

// One data folder is one complete Sluice instance: the warehouse, the run history, settings.ini
// and the scheduler lock. DataFolder resolves which folder to use, creates it and checks that
// it can be written. A plain value; safe to copy to any thread.

#include <QCoreApplication>
#include <QString>

#include "engine/result.h"

namespace Sluice {

class DataFolder
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::DataFolder)

public:
    static constexpr const char *EnvironmentVariable = "SLUICE_DATA_DIR";

    // The platform's app data location, e.g. ~/.local/share/sluice.
    static QString defaultPath();
    // --data-dir if given, else SLUICE_DATA_DIR, else the default; made absolute.
    static QString resolve(const QString &commandLinePath);
    // Bytes naming a folder must be UTF-8: Qt decodes every path as UTF-8, so other bytes
    // would silently name another folder. The Error's where is source ("--data-dir",
    // "SLUICE_DATA_DIR"); it shows the bytes with the undecodable ones escaped ("\xff").
    static Result<void> checkPathBytes(const QByteArray &bytes, const QString &source);

    // Creates the folder when missing, checks that it is a writable folder, and creates the
    // warehouse with its schema. The error names the folder and the cause.
    static Result<DataFolder> open(const QString &path);
    // The folder at path, taken as already opened (no check, nothing created): for code that
    // is handed a folder's path and needs the names of its files.
    static DataFolder at(const QString &path) { return DataFolder(path); }

    QString path() const { return m_path; }
    QString warehousePath() const { return file("warehouse.sqlite"); }
    QString runsPath() const { return file("runs.sqlite"); }
    QString settingsPath() const { return file("settings.ini"); }
    QString credentialsPath() const { return file("credentials"); }
    // The PostgreSQL store's password when kept in a file (config set-password store --store file).
    QString storeCredentialsPath() const { return file("store-credentials"); }
    QString lockPath() const { return file("scheduler.lock"); }
    QString schedulesPath() const { return file("schedules.ini"); }
    QString alertsPath() const { return file("alerts.ini"); }

private:
    explicit DataFolder(const QString &path)
        : m_path(path)
    { }
    QString file(const char *name) const;

    QString m_path;
};

} // namespace Sluice
