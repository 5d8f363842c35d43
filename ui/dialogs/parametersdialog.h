#pragma once

// Asks for the parameters of a run: one typed editor a declared parameter (check box, spin
// box, date edit with a calendar, combo box of the choices, line edit otherwise), filled with
// its default (a run-dependent default evaluated for now). Required parameters are marked;
// each change is checked with Parameters, the engine's own check: a field in error gets a red
// frame and the message under it, and Run stays disabled. GUI thread.

#include <QDateTime>
#include <QDialog>
#include <QList>
#include <QMap>
#include <QVariantMap>

#include "engine/parameters.h"

class QLabel;
class QPushButton;

namespace Sluice {

class ParametersDialog : public QDialog
{
    Q_OBJECT

public:
    // time: the run's logical time for run-dependent defaults; invalid: now.
    ParametersDialog(const QString &flow, const QList<ParameterSpec> &specs,
        const QVariantMap &initial = {}, QWidget *parent = nullptr,
        const QDateTime &time = QDateTime());

    // Whether a run of a flow with these parameters needs the form: a parameter has no
    // default (the Run button then opens it instead of running with the defaults).
    static bool needsForm(const QList<ParameterSpec> &specs);

    // The values entered; a required parameter not entered yet is left out.
    QVariantMap values() const;
    // Whether every value passes the engine's check (Run is enabled).
    bool isValid() const { return m_valid; }
    // The message under a parameter's editor; empty when it is fine.
    QString errorText(const QString &name) const;

    // The editor of a parameter, for tests.
    QWidget *editor(const QString &name) const { return m_editors.value(name); }
    QPushButton *runButton() const { return m_ok; }

private:
    QWidget *createEditor(const ParameterSpec &spec, const QVariant &value);
    // Whether the editor holds a value (a required one may be still empty).
    bool hasValue(const ParameterSpec &spec) const;
    QVariant value(const ParameterSpec &spec) const;
    void validate();

    QString m_flow;
    QList<ParameterSpec> m_specs;
    QMap<QString, QWidget *> m_editors;
    QMap<QString, QLabel *> m_errors;
    QPushButton *m_ok = nullptr;
    bool m_valid = false;
};

} // namespace Sluice
