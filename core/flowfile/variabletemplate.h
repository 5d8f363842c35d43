#pragma once

// The `${...}` variables of a flow-file text (README, "Your own flows"): parsing, naming and plain
// substitution. Only `${` starts a variable, `$${` is a literal `${`, every other `$` stays as
// it is, and a substituted value is never scanned again. Pure functions; any thread.
// Shell text goes through ShellQuoter instead, which quotes each value for /bin/sh.

#include <functional>

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringView>

namespace Sluice {

// What a variable name refers to: `params.day` is {Param, "day"}.
struct FlowVariable
{
    enum class Kind {
        Unknown,
        Param, // params.NAME
        RunId, // run.id
        RunTime, // run.time
        RunDate, // run.date
        RunStamp, // run.stamp
        RunPrevTime, // run.prev-time
        FlowName, // flow.name
        FlowDir, // flow.dir
        DataDir, // data-dir
        Env, // env.NAME
        StepOutput, // steps.ID.output
    };

    Kind kind = Kind::Unknown;
    QString argument; // NAME or ID; empty for the others

    static FlowVariable parse(QStringView name);
    bool isRunVariable() const;

    // The value of a run time variable (run.time, run.date, run.stamp, run.prev-time) for a run
    // at time whose schedule fired before at previousTime; empty for the other kinds, and for
    // run.prev-time without a fire before.
    QString timeValue(const QDateTime &time, const QDateTime &previousTime) const;
    // 2026-12-06T06:30:00Z, as run.time is written; empty for an invalid time.
    static QString timeText(const QDateTime &time);
};

// A problem met while parsing a template, at an offset (in UTF-16 units) into its text.
struct TemplateProblem
{
    qsizetype offset = 0;
    QString message; // translated
};

class VariableTemplate
{
public:
    struct Piece
    {
        bool isVariable = false;
        QString text; // literal text (`$${` already made `${`), or the variable's name
        qsizetype offset = 0; // where the piece starts in the original text
        qsizetype length = 0; // its length there (`${name}` counts whole)
    };

    // Never fails: an unterminated `${` is a problem and stays literal text.
    static VariableTemplate parse(const QString &text);
    // Where the variable starting at `offset` (at `${`) ends, just past its `}`; -1 when it
    // is not closed on the same line before another `${`. Shared with ShellQuoter.
    static qsizetype variableEnd(QStringView text, qsizetype offset);

    const QList<Piece> &pieces() const { return m_pieces; }
    const QList<TemplateProblem> &problems() const { return m_problems; }
    bool hasVariables() const;

    // The text with every variable replaced by value(name), unquoted.
    QString substitute(const std::function<QString(const QString &name)> &value) const;

private:
    QList<Piece> m_pieces;
    QList<TemplateProblem> m_problems;
};

} // namespace Sluice
