#pragma once

// Edits the settings of the data folder, a tab a section, each field built from the key's
// spec. Values are validated together on OK; an invalid field is marked and explained and
// the dialog stays open. GUI thread.

#include <QDialog>
#include <QMap>

class QLabel;
class QTabWidget;

namespace Sluice {

class Settings;

class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(
        Settings *settings, const QString &dataFolder, QWidget *parent = nullptr);

    // The editor of a key (QLineEdit, QSpinBox, QCheckBox or QComboBox), for tests.
    QWidget *editor(const QString &key) const { return m_editors.value(key); }
    QString errorText() const;

    void accept() override;

private:
    QString editorText(const QString &key) const;
    void markInvalid(const QString &key, const QString &message);
    void clearMarks();

    Settings *m_settings;
    QTabWidget *m_tabs;
    QMap<QString, QWidget *> m_editors;
    QLabel *m_error;
};

} // namespace Sluice
