#pragma once

// "New flow…": a name and a starter template (each with its description), the name checked as
// it is typed; OK creates <data>/flows/NAME.yaml through FlowTemplates::create, the one way the
// command line's `sluice flows new` does it, and keeps the dialog open with the reason when it
// cannot. GUI thread.

#include <QDialog>
#include <QStringList>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Sluice {

class NewFlowDialog : public QDialog
{
    Q_OBJECT

public:
    // takenNames: the flows that exist (built-in and files), which a new one may not be named.
    NewFlowDialog(const QString &dataFolder, const QStringList &builtinNames,
        const QStringList &takenNames, QWidget *parent = nullptr);

    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *templateBox() const { return m_template; }
    QString message() const;
    // The file created, once accepted.
    QString createdPath() const { return m_created; }

public Q_SLOTS:
    void accept() override;

private:
    void validate();

    QString m_dataFolder;
    QStringList m_builtinNames;
    QStringList m_takenNames;
    QLineEdit *m_name;
    QComboBox *m_template;
    QLabel *m_description;
    QLabel *m_message;
    QDialogButtonBox *m_buttons;
    QString m_created;
};

} // namespace Sluice
