#include "settings/inifile.h"

#include <QSettings>

namespace Sluice {

namespace {

    QString groupKey(const QString &group, const QString &key)
    {
        return group + QLatin1Char('/') + key;
    }

} // namespace

IniFile::IniFile(const QString &path)
    : m_path(path)
    , m_file(std::make_unique<QSettings>(path, QSettings::IniFormat))
{ }

IniFile::~IniFile() = default;

QStringList IniFile::keys(const QString &group) const
{
    m_file->beginGroup(group);
    const QStringList keys = m_file->childKeys();
    m_file->endGroup();
    return keys;
}

bool IniFile::contains(const QString &group, const QString &key) const
{
    return m_file->contains(groupKey(group, key));
}

QVariant IniFile::value(const QString &group, const QString &key, const QVariant &fallback) const
{
    return m_file->value(groupKey(group, key), fallback);
}

void IniFile::setValue(const QString &group, const QString &key, const QVariant &value)
{
    m_file->setValue(groupKey(group, key), value);
}

void IniFile::remove(const QString &group, const QString &key)
{
    m_file->remove(groupKey(group, key));
}

IniFile::Status IniFile::sync()
{
    m_file->sync();
    switch (m_file->status()) {
    case QSettings::NoError:
        break;
    case QSettings::AccessError:
        return Status::AccessError;
    case QSettings::FormatError:
        return Status::FormatError;
    }
    return Status::Ok;
}

} // namespace Sluice
