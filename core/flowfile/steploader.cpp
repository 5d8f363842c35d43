#include "flowfile/steploader.h"

#include <QCoreApplication>

#include "storage/tablespec.h"

namespace Sluice {

namespace {

    QString backtick(const QString &name)
    {
        return QLatin1Char('`') + name + QLatin1Char('`');
    }

} // namespace

QStringList StepLoader::policyKeys()
{
    return { QStringLiteral("retries"), QStringLiteral("retry-delay"), QStringLiteral("backoff"),
        QStringLiteral("timeout") };
}

bool StepLoader::readPolicy(
    const QString &name, const YamlNode &value, const YamlNode &key, StepPolicy &policy)
{
    if (name == u"retries") {
        if (const auto n = m_reader.integer(value, key, name, 0, 100))
            policy.retries = int(*n);
    } else if (name == u"retry-delay") {
        policy.retryDelayMs = m_reader.duration(value, key, name, true);
    } else if (name == u"backoff") {
        if (const auto word = m_reader.choice(
                value, key, name, { QStringLiteral("none"), QStringLiteral("exponential") }))
            policy.backoff = *word == u"none" ? Backoff::None : Backoff::Exponential;
    } else if (name == u"timeout") {
        policy.timeoutMs = m_reader.duration(value, key, name, false);
    } else {
        return false;
    }
    return true;
}

QList<StepDefinition> StepLoader::load(const YamlNode &steps, const YamlNode &key)
{
    QList<StepDefinition> result;
    if (!steps.isSequence() || steps.size() == 0) {
        m_reader.error(YamlReader::position(steps, key),
            QCoreApplication::translate(
                "Sluice::FlowFile", "`steps` must be a non-empty list of steps, not %1")
                .arg(steps.isSequence()
                        ? QCoreApplication::translate("Sluice::FlowFile", "an empty list")
                        : YamlReader::kindName(steps)));
        return result;
    }
    qsizetype index = 0;
    for (const YamlNode &step : steps.items())
        result.append(loadStep(step, index++));
    return result;
}

StepDefinition StepLoader::loadStep(const YamlNode &node, qsizetype index)
{
    StepDefinition step;
    step.position = YamlReader::position(node);
    if (!node.isMap()) {
        m_reader.error(step.position,
            QCoreApplication::translate("Sluice::FlowFile",
                "step %1 must be a map with `id` and a kind such as `run`, not %2")
                .arg(index + 1)
                .arg(YamlReader::kindName(node)));
        return step;
    }
    static const QStringList kindKeys = [] {
        QStringList names;
        for (StepKind kind : allStepKinds())
            names << stepKindName(kind);
        return names;
    }();
    static const QStringList allowed =
        QStringList{ QStringLiteral("id"), QStringLiteral("needs"), QStringLiteral("description"),
            QStringLiteral("cwd"), QStringLiteral("env"), QStringLiteral("database") }
        + policyKeys() + kindKeys;
    m_reader.checkKeys(node, allowed, QCoreApplication::translate("Sluice::FlowFile", "a step"));

    const YamlNode id = node["id"];
    if (!id) {
        m_reader.error(step.position,
            QCoreApplication::translate("Sluice::FlowFile", "step %1 has no `id`").arg(index + 1));
    } else if (const auto text = m_reader.scalar(id, id, QStringLiteral("id"))) {
        step.position = text->position;
        if (YamlReader::isName(text->value))
            step.id = text->value;
        else
            m_reader.error(text->position,
                QCoreApplication::translate("Sluice::FlowFile",
                    "bad step id \"%1\": a letter, then letters, digits, `-` or `_`, at most 64")
                    .arg(text->value));
    }
    const QString label = step.id.isEmpty() ? QString::number(index + 1) : backtick(step.id);

    // Exactly one kind.
    // std::optional: a default YamlNode is a defined null, and assigning to a Node writes
    // into the document.
    std::optional<YamlNode> kindKey;
    std::optional<YamlNode> kindValue;
    for (const auto &it : node.entries()) {
        const QString name = YamlReader::text(it.first);
        if (!kindKeys.contains(name))
            continue;
        if (kindKey && name == YamlReader::text(*kindKey))
            continue; // a duplicate key, reported as such
        if (kindKey) {
            m_reader.error(YamlReader::position(it.first),
                QCoreApplication::translate("Sluice::FlowFile",
                    "step %1 has two kinds, `%2` and `%3`; a step has exactly one")
                    .arg(label, YamlReader::text(*kindKey), name));
            continue;
        }
        kindKey.emplace(it.first);
        kindValue.emplace(it.second);
    }
    // A misspelt kind (`rn:`) is reported as an unknown key with its suggestion; "no kind"
    // on top of it would only repeat it.
    bool misspeltKind = false;
    for (const auto &it : node.entries()) {
        const QString name = YamlReader::text(it.first);
        misspeltKind = misspeltKind
            || (!allowed.contains(name)
                && kindKeys.contains(YamlReader::suggestion(name, allowed)));
    }
    if (!kindKey && !misspeltKind) {
        m_reader.error(step.position,
            QCoreApplication::translate("Sluice::FlowFile", "step %1 has no kind: give one of %2")
                .arg(label, kindKeys.join(QStringLiteral(", "))));
    } else if (kindKey) {
        step.kindPosition = YamlReader::position(*kindKey);
        const QString kind = YamlReader::text(*kindKey);
        for (StepKind k : allStepKinds()) {
            if (stepKindName(k) == kind)
                step.kind = k;
        }
        switch (step.kind) {
        case StepKind::Run:
            loadRun(*kindValue, *kindKey, step.run);
            break;
        case StepKind::Sql:
            if (const auto text = m_reader.scalar(*kindValue, *kindKey, kind))
                step.sql.statements = *text;
            break;
        case StepKind::Http:
            loadHttp(*kindValue, *kindKey, step.http);
            break;
        case StepKind::Import:
            loadImport(*kindValue, *kindKey, step.import);
            break;
        case StepKind::Export:
            loadExport(*kindValue, *kindKey, step.exportSpec);
            break;
        case StepKind::Email:
            loadEmail(*kindValue, *kindKey, step.email);
            break;
        }
    }

    for (const auto &it : node.entries()) {
        const QString name = YamlReader::text(it.first);
        const YamlNode value = it.second;
        if (name == u"needs") {
            step.hasNeeds = true;
            if (!value.isNull())
                step.needs = m_reader.scalarList(value, it.first, name);
        } else if (name == u"description") {
            if (const auto text = m_reader.scalar(value, it.first, name))
                step.description = text->value;
        } else if (name == u"cwd" || name == u"env" || name == u"database") {
            const bool fits = (name == u"database") == (step.kind == StepKind::Sql);
            if (kindKey && !fits) {
                m_reader.error(YamlReader::position(it.first),
                    QCoreApplication::translate(
                        "Sluice::FlowFile", "`%1` applies only to `%2` steps")
                        .arg(name,
                            name == u"database" ? QStringLiteral("sql") : QStringLiteral("run")));
            } else if (name == u"cwd") {
                step.run.cwd = m_reader.scalar(value, it.first, name);
            } else if (name == u"env") {
                step.run.env = m_reader.scalarMap(value, it.first, name);
            } else {
                step.sql.database = m_reader.scalar(value, it.first, name);
            }
        } else {
            readPolicy(name, value, it.first, step.policy);
        }
    }
    return step;
}

void StepLoader::loadRun(const YamlNode &value, const YamlNode &key, RunSpec &spec)
{
    if (value.isScalar()) {
        spec.isShell = true;
        spec.shell = { value.text(), YamlReader::position(value) };
        if (spec.shell.value.trimmed().isEmpty())
            m_reader.error(spec.shell.position,
                QCoreApplication::translate("Sluice::FlowFile", "`run` is empty: give a command"));
        return;
    }
    if (value.isSequence() && value.size() > 0) {
        spec.isShell = false;
        spec.argv = m_reader.scalarList(value, key, QStringLiteral("run"));
        return;
    }
    m_reader.error(YamlReader::position(value, key),
        QCoreApplication::translate(
            "Sluice::FlowFile", "`run` must be shell text or a non-empty list of arguments, not %1")
            .arg(YamlReader::kindName(value)));
}

bool StepLoader::isSpecMap(
    const YamlNode &value, const YamlNode &key, const QString &kind, const QStringList &allowed)
{
    if (!value.isMap()) {
        m_reader.error(YamlReader::position(value, key),
            QCoreApplication::translate("Sluice::FlowFile", "`%1` must be a map of %2, not %3")
                .arg(kind, allowed.join(QStringLiteral(", ")), YamlReader::kindName(value)));
        return false;
    }
    m_reader.checkKeys(value, allowed, backtick(kind));
    return true;
}

std::optional<ColumnType> StepLoader::columnType(
    const YamlNode &value, const YamlNode &key, const QString &name)
{
    const auto word = m_reader.choice(value, key, name,
        { QStringLiteral("integer"), QStringLiteral("real"), QStringLiteral("text") });
    if (!word)
        return std::nullopt;
    return *word == u"integer" ? ColumnType::Integer
        : *word == u"real"     ? ColumnType::Real
                               : ColumnType::Text;
}

std::optional<ConflictRule> StepLoader::conflictRule(const YamlNode &value, const YamlNode &key)
{
    const auto word = m_reader.choice(value, key, QStringLiteral("on-conflict"),
        { QStringLiteral("ignore"), QStringLiteral("replace") });
    if (!word)
        return std::nullopt;
    return *word == u"ignore" ? ConflictRule::Ignore : ConflictRule::Replace;
}

void StepLoader::checkKeyColumns(
    const QStringList &key, const QStringList &columns, const SourcePosition &position)
{
    if (columns.isEmpty())
        return;
    for (const QString &column : key) {
        if (!columns.contains(column))
            m_reader.error(position,
                QCoreApplication::translate(
                    "Sluice::FlowFile", "key column `%1` is not among the columns (%2)")
                    .arg(column, columns.join(QStringLiteral(", "))));
    }
}

void StepLoader::loadHttp(const YamlNode &value, const YamlNode &key, HttpSpec &spec)
{
    static const QStringList allowed = { QStringLiteral("url"), QStringLiteral("method"),
        QStringLiteral("headers"), QStringLiteral("query"), QStringLiteral("body"),
        QStringLiteral("rows"), QStringLiteral("columns"), QStringLiteral("into"),
        QStringLiteral("key"), QStringLiteral("on-conflict") };
    if (!isSpecMap(value, key, QStringLiteral("http"), allowed))
        return;
    bool hasUrl = false;
    bool hasInto = false;
    SourcePosition keyPosition;
    for (const auto &it : value.entries()) {
        const QString name = YamlReader::text(it.first);
        const YamlNode v = it.second;
        if (name == u"url") {
            hasUrl = true;
            if (const auto text = m_reader.scalar(v, it.first, name))
                spec.url = *text;
        } else if (name == u"method") {
            if (const auto word = m_reader.choice(v, it.first, name,
                    { QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT"),
                        QStringLiteral("PATCH"), QStringLiteral("DELETE") }))
                spec.method = *word;
        } else if (name == u"headers") {
            spec.headers = m_reader.scalarMap(v, it.first, name);
        } else if (name == u"query") {
            spec.query = m_reader.scalarMap(v, it.first, name);
        } else if (name == u"body") {
            spec.body = m_reader.scalar(v, it.first, name);
        } else if (name == u"rows") {
            if (const auto text = m_reader.scalar(v, it.first, name)) {
                if (!text->value.isEmpty() && !text->value.startsWith(u'/'))
                    m_reader.error(text->position,
                        QCoreApplication::translate("Sluice::FlowFile",
                            "`rows` must be a JSON pointer such as /data (or empty for the whole "
                            "document), not \"%1\"")
                            .arg(text->value));
                spec.rows = text->value;
            }
        } else if (name == u"columns") {
            if (!v.isMap()) {
                m_reader.error(YamlReader::position(v, it.first),
                    QCoreApplication::translate("Sluice::FlowFile",
                        "`columns` must map each column to a JSON pointer, not %1")
                        .arg(YamlReader::kindName(v)));
                continue;
            }
            m_reader.checkDuplicateKeys(v);
            for (const auto &c : v.entries()) {
                HttpColumn column;
                column.position = YamlReader::position(c.first);
                if (!TableSpec::isIdentifier(YamlReader::text(c.first))) {
                    m_reader.error(column.position,
                        QCoreApplication::translate("Sluice::FlowFile",
                            "bad column name \"%1\": a letter or `_`, then letters, digits or `_`")
                            .arg(YamlReader::text(c.first)));
                    continue;
                }
                column.name = YamlReader::text(c.first);
                const YamlNode pointer = c.second.isMap() ? c.second["pointer"] : c.second;
                if (c.second.isMap()) {
                    m_reader.checkKeys(c.second,
                        { QStringLiteral("pointer"), QStringLiteral("type") },
                        QCoreApplication::translate("Sluice::FlowFile", "a column"));
                    if (const YamlNode type = c.second["type"])
                        column.type = columnType(type, c.first, QStringLiteral("type"))
                                          .value_or(ColumnType::Text);
                    if (!pointer) {
                        m_reader.error(column.position,
                            QCoreApplication::translate(
                                "Sluice::FlowFile", "column `%1` has no `pointer`")
                                .arg(column.name));
                        continue;
                    }
                }
                if (const auto text = m_reader.scalar(pointer, c.first, column.name)) {
                    if (!text->value.isEmpty() && !text->value.startsWith(u'/'))
                        m_reader.error(text->position,
                            QCoreApplication::translate("Sluice::FlowFile",
                                "column `%1` must be a JSON pointer such as /price, not \"%2\"")
                                .arg(column.name, text->value));
                    column.pointer = text->value;
                }
                spec.columns.append(column);
            }
        } else if (name == u"into") {
            hasInto = true;
            spec.into = m_reader.sqlIdentifier(v, it.first, name).value_or(QString());
        } else if (name == u"key") {
            keyPosition = YamlReader::position(v, it.first);
            spec.key = m_reader.sqlIdentifiers(v, it.first, name);
        } else if (name == u"on-conflict") {
            spec.onConflict = conflictRule(v, it.first).value_or(ConflictRule::Ignore);
        }
    }
    if (!hasUrl)
        m_reader.error(YamlReader::position(value),
            QCoreApplication::translate("Sluice::FlowFile", "`http` needs a `url`"));
    if (!hasInto)
        m_reader.error(YamlReader::position(value),
            QCoreApplication::translate(
                "Sluice::FlowFile", "`http` needs `into`, the table to fill"));
    QStringList names;
    for (const HttpColumn &column : spec.columns)
        names << column.name;
    checkKeyColumns(spec.key, names, keyPosition);
}

void StepLoader::loadImport(const YamlNode &value, const YamlNode &key, ImportSpec &spec)
{
    static const QStringList allowed = { QStringLiteral("file"), QStringLiteral("into"),
        QStringLiteral("delimiter"), QStringLiteral("header"), QStringLiteral("columns"),
        QStringLiteral("key"), QStringLiteral("on-conflict"), QStringLiteral("database") };
    if (!isSpecMap(value, key, QStringLiteral("import"), allowed))
        return;
    bool hasFile = false;
    bool hasInto = false;
    SourcePosition keyPosition;
    for (const auto &it : value.entries()) {
        const QString name = YamlReader::text(it.first);
        const YamlNode v = it.second;
        if (name == u"file") {
            hasFile = true;
            if (const auto text = m_reader.scalar(v, it.first, name))
                spec.file = *text;
        } else if (name == u"into") {
            hasInto = true;
            spec.into = m_reader.sqlIdentifier(v, it.first, name).value_or(QString());
        } else if (name == u"delimiter") {
            spec.delimiter = m_reader.character(v, it.first, name).value_or(QLatin1Char(','));
        } else if (name == u"header") {
            spec.header = m_reader.boolean(v, it.first, name).value_or(true);
        } else if (name == u"columns") {
            if (!v.isMap()) {
                m_reader.error(YamlReader::position(v, it.first),
                    QCoreApplication::translate("Sluice::FlowFile",
                        "`columns` must map each column to integer, real or text, not %1")
                        .arg(YamlReader::kindName(v)));
                continue;
            }
            m_reader.checkDuplicateKeys(v);
            for (const auto &c : v.entries()) {
                ImportColumn column;
                column.name = YamlReader::text(c.first);
                column.position = YamlReader::position(c.first);
                if (!TableSpec::isIdentifier(column.name)) {
                    m_reader.error(column.position,
                        QCoreApplication::translate("Sluice::FlowFile",
                            "bad column name \"%1\": a letter or `_`, then letters, digits or `_`")
                            .arg(column.name));
                    continue;
                }
                column.type = columnType(c.second, c.first, column.name).value_or(ColumnType::Text);
                spec.columns.append(column);
            }
        } else if (name == u"key") {
            keyPosition = YamlReader::position(v, it.first);
            spec.key = m_reader.sqlIdentifiers(v, it.first, name);
        } else if (name == u"on-conflict") {
            spec.onConflict = conflictRule(v, it.first).value_or(ConflictRule::Ignore);
        } else if (name == u"database") {
            spec.database = m_reader.scalar(v, it.first, name);
        }
    }
    if (!hasFile)
        m_reader.error(YamlReader::position(value),
            QCoreApplication::translate("Sluice::FlowFile", "`import` needs a `file`"));
    if (!hasInto)
        m_reader.error(YamlReader::position(value),
            QCoreApplication::translate(
                "Sluice::FlowFile", "`import` needs `into`, the table to fill"));
    QStringList names;
    for (const ImportColumn &column : spec.columns)
        names << column.name;
    checkKeyColumns(spec.key, names, keyPosition);
}

void StepLoader::loadExport(const YamlNode &value, const YamlNode &key, ExportSpec &spec)
{
    static const QStringList allowed = { QStringLiteral("query"), QStringLiteral("table"),
        QStringLiteral("to"), QStringLiteral("database"), QStringLiteral("delimiter"),
        QStringLiteral("line-ends"), QStringLiteral("header"), QStringLiteral("spreadsheet-safe") };
    if (!isSpecMap(value, key, QStringLiteral("export"), allowed))
        return;
    bool hasTo = false;
    for (const auto &it : value.entries()) {
        const QString name = YamlReader::text(it.first);
        const YamlNode v = it.second;
        if (name == u"query") {
            spec.query = m_reader.scalar(v, it.first, name);
        } else if (name == u"table") {
            spec.table = m_reader.sqlIdentifier(v, it.first, name).value_or(QString());
        } else if (name == u"to") {
            hasTo = true;
            if (const auto text = m_reader.scalar(v, it.first, name))
                spec.to = *text;
        } else if (name == u"database") {
            spec.database = m_reader.scalar(v, it.first, name);
        } else if (name == u"delimiter") {
            spec.delimiter = m_reader.character(v, it.first, name).value_or(QLatin1Char(','));
        } else if (name == u"line-ends") {
            spec.crlf =
                m_reader.choice(v, it.first, name, { QStringLiteral("lf"), QStringLiteral("crlf") })
                == QStringLiteral("crlf");
        } else if (name == u"header") {
            spec.header = m_reader.boolean(v, it.first, name).value_or(true);
        } else if (name == u"spreadsheet-safe") {
            spec.spreadsheetSafe = m_reader.boolean(v, it.first, name).value_or(false);
        }
    }
    const bool hasQuery = bool(value["query"]);
    const bool hasTable = bool(value["table"]);
    if (hasQuery == hasTable)
        m_reader.error(YamlReader::position(value),
            QCoreApplication::translate(
                "Sluice::FlowFile", "`export` needs exactly one of `query` and `table`"));
    if (!hasTo)
        m_reader.error(YamlReader::position(value),
            QCoreApplication::translate(
                "Sluice::FlowFile", "`export` needs `to`, the file to write"));
}

void StepLoader::loadEmail(const YamlNode &value, const YamlNode &key, EmailSpec &spec)
{
    static const QStringList allowed = { QStringLiteral("to"), QStringLiteral("subject"),
        QStringLiteral("body"), QStringLiteral("attach") };
    if (!isSpecMap(value, key, QStringLiteral("email"), allowed))
        return;
    for (const auto &it : value.entries()) {
        const QString name = YamlReader::text(it.first);
        const YamlNode v = it.second;
        if (name == u"to")
            spec.to = m_reader.scalarList(v, it.first, name);
        else if (name == u"subject")
            spec.subject = m_reader.scalar(v, it.first, name);
        else if (name == u"body")
            spec.body = m_reader.scalar(v, it.first, name);
        else if (name == u"attach")
            spec.attach = m_reader.scalarList(v, it.first, name);
    }
}

} // namespace Sluice
