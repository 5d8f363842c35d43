#pragma once

// Shows the flow definition a run used, read-only: the exact YAML stored with the run, in a
// monospace text that can be selected and copied, with its file and SHA-256. GUI thread.

#include <QDialog>

#include "engine/runrecords.h"

class QPlainTextEdit;

namespace Sluice {

class DefinitionDialog : public QDialog
{
    Q_OBJECT

public:
    explicit DefinitionDialog(const FlowRunRecord &run, QWidget *parent = nullptr);

    QPlainTextEdit *textView() const { return m_text; }

private:
    QPlainTextEdit *m_text;
};

} // namespace Sluice
