#pragma once

// One small INI file of a data folder besides settings.ini (schedules.ini, alerts.ini) as groups
// of keys, read and written through QSettings (IniFormat) so that the files keep their format.
// Each IniFile reads the file when made and writes it on sync(); processes sharing the folder
// see each other's edits (QSettings locks the file while writing). A value; one thread.

#include <memory>

#include <QString>
#include <QStringList>
#include <QVariant>

class QSettings;

namespace Sluice {

class IniFile
{
public:
    enum class Status { Ok, AccessError, FormatError };

    explicit IniFile(const QString &path);
    ~IniFile();
    IniFile(const IniFile &) = delete;
    IniFile &operator=(const IniFile &) = delete;

    QString path() const { return m_path; }

    QStringList keys(const QString &group) const;
    bool contains(const QString &group, const QString &key) const;
    QVariant value(const QString &group, const QString &key, const QVariant &fallback = {}) const;
    void setValue(const QString &group, const QString &key, const QVariant &value);
    void remove(const QString &group, const QString &key);

    // Writes the changes made so far; how that went.
    Status sync();

private:
    QString m_path;
    std::unique_ptr<QSettings> m_file;
};

} // namespace Sluice
