#pragma once

// The model of one flow file (README, "Your own flows"): what FlowLoader reads out of the YAML and
// FlowChecker checks, before anything runs. Plain values, safe to copy to any thread. Every part
// keeps the position it was written at, so later errors (a failed step, a bad param value) can
// point back into the file. Texts that may hold variables are kept as written (`${params.day}`):
// VariableTemplate and ShellQuoter substitute them when a run starts.

#include <optional>

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include "engine/flow.h"
#include "schedule/schedule.h"
#include "storage/tablespec.h"

namespace Sluice {

// A place in a flow file: 1-based line and column (in bytes, as compilers count); 0 when
// unknown (a default that was not written).
struct SourcePosition
{
    int line = 0;
    int column = 0;

    bool isValid() const { return line > 0; }
    bool operator==(const SourcePosition &other) const
    {
        return line == other.line && column == other.column;
    }
    bool operator<(const SourcePosition &other) const
    {
        return line != other.line ? line < other.line : column < other.column;
    }
};

// A text of the file with where it was written. `value` is the YAML value as read (quotes
// and escapes resolved).
struct PositionedText
{
    QString value;
    SourcePosition position;
};

enum class FlowParamType { String, Int, Double, Bool, Date };

struct FlowParam
{
    QString name;
    FlowParamType type = FlowParamType::String;
    // The default as written; may use `${run.*}` variables. Absent: the param is required.
    std::optional<PositionedText> defaultValue;
    bool required = false; // true when written so, or when there is no default
    QList<PositionedText> choices; // empty: any value of the type
    QString description;
    SourcePosition position; // of the param's name
};

// The file's own schedule (README, "Your own flows"): a cron expression in a zone, or an interval.
struct FlowSchedule
{
    Schedule schedule; // Kind::Cron or Kind::Interval, with zone and misfire policy
    SourcePosition position;
};

// Overlap is the engine's (engine/flow.h): skip or allow.
enum class Backoff { None, Exponential };

// Retry and timeout settings of a step; the flow's `defaults` use the same struct. An unset
// member takes the flow's default, then the README's (0 retries, 5 s delay, no backoff, no
// timeout).
struct StepPolicy
{
    std::optional<int> retries;
    std::optional<qint64> retryDelayMs;
    std::optional<Backoff> backoff;
    std::optional<qint64> timeoutMs;
};

enum class StepKind { Run, Sql, Http, Import, Export, Email };

// Column types and conflict rules are the table writer's (storage/tablespec.h).

// `run:` as shell text (`/bin/sh -c`) or as an argv list (no shell).
struct RunSpec
{
    bool isShell = true;
    PositionedText shell; // when isShell
    QList<PositionedText> argv; // otherwise; never empty
    std::optional<PositionedText> cwd; // relative to the flow's folder
    QList<std::pair<QString, PositionedText>> env; // merged over the flow's, in file order
};

struct SqlSpec
{
    PositionedText statements; // never holds `${`: the checker refuses it
    std::optional<PositionedText> database; // default: the warehouse
};

// One column of an `http` table: where its value is inside an element, and its type.
struct HttpColumn
{
    QString name;
    QString pointer; // a JSON pointer, "" or starting with "/"
    ColumnType type = ColumnType::Text;
    SourcePosition position;
};

struct HttpSpec
{
    PositionedText url;
    QString method = QStringLiteral("GET");
    QList<std::pair<QString, PositionedText>> headers;
    QList<std::pair<QString, PositionedText>> query; // values percent-encoded when substituted
    std::optional<PositionedText> body;
    QString rows; // JSON pointer to the array; "" is the document
    QList<HttpColumn> columns;
    QString into; // a checked identifier
    QStringList key;
    ConflictRule onConflict = ConflictRule::Ignore;
};

struct ImportColumn
{
    QString name;
    ColumnType type = ColumnType::Text;
    SourcePosition position;
};

struct ImportSpec
{
    PositionedText file;
    QString into;
    QChar delimiter = QLatin1Char(',');
    bool header = true;
    QList<ImportColumn> columns;
    QStringList key;
    ConflictRule onConflict = ConflictRule::Ignore;
    std::optional<PositionedText> database; // default: the warehouse
};

struct ExportSpec
{
    std::optional<PositionedText> query; // exactly one of query and table
    QString table;
    PositionedText to;
    std::optional<PositionedText> database;
    QChar delimiter = QLatin1Char(',');
    bool crlf = false; // `line-ends: crlf`
    bool header = true;
    bool spreadsheetSafe = false;
};

struct EmailSpec
{
    QList<PositionedText> to; // empty: the report.recipients setting
    std::optional<PositionedText> subject;
    std::optional<PositionedText> body;
    QList<PositionedText> attach;
};

struct StepDefinition
{
    QString id;
    SourcePosition position; // of the step's `id` value (of the list item when it has none)
    StepKind kind = StepKind::Run;
    SourcePosition kindPosition; // of the kind's key (`run:`)
    QString description;
    // Ids this step needs, as written. hasNeeds tells `needs: []` from no `needs` at all;
    // FlowDefinition::dependencies() gives the effective graph.
    bool hasNeeds = false;
    QList<PositionedText> needs;
    StepPolicy policy;

    // The spec of `kind`; the others stay default.
    RunSpec run;
    SqlSpec sql;
    HttpSpec http;
    ImportSpec import;
    ExportSpec exportSpec;
    EmailSpec email;
};

struct FlowDefinition
{
    QString name; // the file's stem
    QString filePath; // absolute
    QString description;
    QList<FlowParam> params;
    std::optional<FlowSchedule> schedule;
    std::optional<qint64> timeoutMs;
    Overlap overlap = Overlap::Skip;
    // on-crash: in a fleet, whether a run whose worker died is queued again (retry) or ends
    // Crashed (fail, the default).
    bool retryOnCrash = false;
    std::optional<int> maxParallel; // absent: the core count
    StepPolicy defaults;
    QList<std::pair<QString, PositionedText>> env;
    QList<StepDefinition> steps;

    // Whether the steps form a graph (some step has `needs`) or run in file order.
    bool isGraph() const;
    // The ids each step waits for, in step order: its `needs` in a graph, else the step
    // before it. Unknown ids are left out (the checker reports them).
    QList<QStringList> dependencies() const;
    // The index of the step with that id, or -1.
    qsizetype stepIndex(const QString &id) const;
    const FlowParam *param(const QString &name) const;
};

// Names as written in files and messages: "run", "sql", ...; "string", "int", ...
QString stepKindName(StepKind kind);
QString flowParamTypeName(FlowParamType type);
// The kinds in the README order.
QList<StepKind> allStepKinds();

} // namespace Sluice
