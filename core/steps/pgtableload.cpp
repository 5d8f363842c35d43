#include "steps/pgtableload.h"

#include <cmath>
#include <optional>

#include <QStringList>
#include <QUtf8StringView>

#include <libpq-fe.h>

#include "steps/pgsql.h"
#include "storage/pythonfloat.h"
#include "store/pgconnection.h"

namespace Sluice {

namespace {

    // 2^63 as a double: reals in [-2^63, 2^63) convert to qint64 exactly when whole.
    constexpr double Int64Bound = 9223372036854775808.0;

    // The temporary table keyed rows go through, and its column of row numbers: names with a
    // space, which no checked column name has.
    const QString StagingTable = QStringLiteral("\"sluice import\"");
    const QString RowColumn = QStringLiteral("\"sluice row\"");

    QString pgType(ColumnType type)
    {
        switch (type) {
        case ColumnType::Integer:
            return QStringLiteral("BIGINT");
        case ColumnType::Real:
            return QStringLiteral("DOUBLE PRECISION");
        case ColumnType::Text:
            break;
        }
        return QStringLiteral("TEXT");
    }

    // The ColumnType that stores as a declared type does (format_type's words), or nullopt.
    std::optional<ColumnType> storedAs(const QString &declared)
    {
        if (declared == u"bigint" || declared == u"integer" || declared == u"smallint")
            return ColumnType::Integer;
        if (declared == u"double precision" || declared == u"real"
            || declared.startsWith(u"numeric"))
            return ColumnType::Real;
        if (declared == u"text" || declared.startsWith(u"character"))
            return ColumnType::Text;
        return std::nullopt;
    }

    void appendReal(QByteArray &out, double value)
    {
        char text[PythonFloat::MaxLength];
        out.append(text, PythonFloat::write(value, text) - text);
    }

    // A text as a field of COPY's text format: backslash, tab, CR and LF escaped.
    void appendText(QByteArray &out, const QByteArray &text)
    {
        const char *data = text.constData();
        const qsizetype size = text.size();
        qsizetype plain = 0;
        for (qsizetype i = 0; i < size; ++i) {
            const char c = data[i];
            const char *escape = c == '\\' ? "\\\\"
                : c == '\t'                ? "\\t"
                : c == '\n'                ? "\\n"
                : c == '\r'                ? "\\r"
                                           : nullptr;
            if (!escape)
                continue;
            out.append(data + plain, i - plain);
            out.append(escape, 2);
            plain = i + 1;
        }
        out.append(data + plain, size - plain);
    }

    // Appends value as a column of `type` stores it (TableWriter's rules); false when it does
    // not fit. PostgreSQL's text holds no NUL and only valid UTF-8.
    bool appendField(QByteArray &out, const SqlValue &value, ColumnType type, bool nullable)
    {
        switch (value.type()) {
        case SqlValue::Type::Null:
            if (!nullable)
                return false;
            out.append("\\N", 2);
            return true;
        case SqlValue::Type::Integer:
            if (type == ColumnType::Real)
                appendReal(out, double(value.integer()));
            else
                out.append(QByteArray::number(value.integer()));
            return true;
        case SqlValue::Type::Real: {
            const double real = value.real();
            if (!std::isfinite(real))
                return false;
            if (type == ColumnType::Integer) {
                if (real != std::trunc(real) || real < -Int64Bound || real >= Int64Bound)
                    return false;
                out.append(QByteArray::number(qint64(real)));
                return true;
            }
            appendReal(out, real);
            return true;
        }
        case SqlValue::Type::Text:
            break;
        }
        const QByteArray &utf8 = value.utf8Text();
        switch (type) {
        case ColumnType::Integer: {
            qint64 integer = 0;
            if (!TableWriter::readsAsInteger(utf8, integer))
                return false;
            out.append(QByteArray::number(integer));
            return true;
        }
        case ColumnType::Real: {
            double real = 0;
            if (!TableWriter::readsAsReal(utf8, real))
                return false;
            appendReal(out, real);
            return true;
        }
        case ColumnType::Text:
            break;
        }
        if (utf8.contains('\0') || !QUtf8StringView(utf8).isValidUtf8())
            return false;
        appendText(out, utf8);
        return true;
    }

    QString quotedList(const QStringList &names, const QString &prefix = QString())
    {
        QStringList quoted;
        for (const QString &name : names)
            quoted << prefix + TableSpec::quote(name);
        return quoted.join(QLatin1String(", "));
    }

} // namespace

PgTableLoad::PgTableLoad(PGconn *conn, QString where, TableSpec spec, TableWriter::RowName rowName)
    : m_conn(conn)
    , m_where(std::move(where))
    , m_spec(std::move(spec))
    , m_rowName(std::move(rowName))
    , m_row(std::size_t(m_spec.columns.size()))
{
    for (int c = 0; c < int(m_spec.columns.size()); ++c)
        m_nullable.push_back(!m_spec.columns.at(c).notNull && !m_spec.isKey(c));
    m_buffer.reserve(FlushBytes + 4096);
}

Result<std::unique_ptr<PgTableLoad>> PgTableLoad::begin(
    const PgConnection &connection, const TableSpec &spec, TableWriter::RowName rowName)
{
    const QString where = connection.url().redacted();
    if (Result<void> valid = spec.check(); !valid)
        return Error{ valid.error().what, where, ErrorCode::Permanent };
    PGconn *conn = PgSql::handle(connection);
    if (!conn)
        return Error{ tr("the connection is not open"), where, ErrorCode::Transient };
    std::unique_ptr<PgTableLoad> load(new PgTableLoad(conn, where, spec, std::move(rowName)));
    if (Result<PgSql::ResultPtr> begun = PgSql::exec(conn, QStringLiteral("BEGIN")); !begun) {
        load->m_open = false;
        return load->failed(begun.error());
    }
    // The table is created inside the transaction: a failed load leaves no empty table.
    if (Result<void> ready = load->createOrCheck(); !ready)
        return ready.error();
    if (Result<void> started = load->startCopy(); !started)
        return started.error();
    return load;
}

PgTableLoad::~PgTableLoad()
{
    if (m_copying) {
        PQputCopyEnd(m_conn, "the import stopped");
        while (PGresult *result = PQgetResult(m_conn))
            PQclear(result);
    }
    if (m_open)
        PQclear(PQexec(m_conn, "ROLLBACK"));
}

Error PgTableLoad::failed(const Error &error) const
{
    return Error{ error.what, m_where, error.code };
}

Result<void> PgTableLoad::createOrCheck()
{
    const QString table = TableSpec::quote(m_spec.name);
    Result<PgSql::ResultPtr> kind = PgSql::exec(m_conn,
        QStringLiteral("SELECT relkind FROM pg_class WHERE oid = to_regclass($1)"), { table });
    if (!kind)
        return failed(kind.error());
    if (PQntuples(kind->get()) == 0) {
        QStringList parts;
        for (int i = 0; i < int(m_spec.columns.size()); ++i) {
            const ColumnSpec &column = m_spec.columns.at(i);
            QString part = TableSpec::quote(column.name) + u' ' + pgType(column.type);
            if (column.notNull || m_spec.isKey(i))
                part += QLatin1String(" NOT NULL");
            parts << part;
        }
        if (!m_spec.key.isEmpty())
            parts << QStringLiteral("PRIMARY KEY (%1)").arg(quotedList(m_spec.key));
        const QString create = QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (%2)")
                                   .arg(table, parts.join(QLatin1String(", ")));
        if (Result<PgSql::ResultPtr> created = PgSql::exec(m_conn, create); !created) {
            return Error{
                tr("cannot create the table %1: %2").arg(m_spec.name, created.error().what),
                m_where, created.error().code
            };
        }
        return {};
    }
    const QString relkind = QString::fromUtf8(PQgetvalue(kind->get(), 0, 0));
    if (relkind != u"r" && relkind != u"p")
        return Error{ tr("%1 is not a table").arg(m_spec.name), m_where, ErrorCode::Permanent };

    Result<PgSql::ResultPtr> info = PgSql::exec(m_conn,
        QStringLiteral("SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
                       " a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '',"
                       " coalesce((SELECT k.n FROM unnest(i.indkey) WITH ORDINALITY"
                       " AS k(attnum, n) WHERE k.attnum = a.attnum), 0)"
                       " FROM pg_attribute a LEFT JOIN pg_index i"
                       " ON i.indrelid = a.attrelid AND i.indisprimary"
                       " WHERE a.attrelid = to_regclass($1) AND a.attnum > 0"
                       " AND NOT a.attisdropped ORDER BY a.attnum"),
        { table });
    if (!info)
        return failed(info.error());
    const auto mismatch = [this](const QString &what) {
        return Error{ what, m_where, ErrorCode::Permanent };
    };
    const PGresult *result = info->get();
    QList<bool> found(m_spec.columns.size(), false);
    QStringList storedKey; // by position in the primary key
    for (int r = 0; r < PQntuples(result); ++r) {
        const QString name = QString::fromUtf8(PQgetvalue(result, r, 0));
        const QString declared = QString::fromUtf8(PQgetvalue(result, r, 1));
        const bool notNull = PQgetvalue(result, r, 2)[0] == 't';
        const bool hasDefault = PQgetvalue(result, r, 3)[0] == 't';
        const int keyPosition = QByteArray(PQgetvalue(result, r, 4)).toInt();
        if (keyPosition > 0) {
            if (storedKey.size() < keyPosition)
                storedKey.resize(keyPosition);
            storedKey[keyPosition - 1] = name;
        }
        // Names are quoted, so PostgreSQL tells case: only the same name is the same column.
        qsizetype index = -1;
        for (qsizetype c = 0; c < m_spec.columns.size() && index < 0; ++c) {
            if (m_spec.columns.at(c).name == name)
                index = c;
        }
        if (index < 0) {
            if (notNull && !hasDefault)
                return mismatch(tr("the table %1 has a column %2 that must be set and is not "
                                   "described")
                                    .arg(m_spec.name, name));
            continue;
        }
        found[index] = true;
        const ColumnSpec &column = m_spec.columns.at(index);
        if (storedAs(declared) != column.type) {
            return mismatch(
                tr("the column %1 of the table %2 is declared %3, not %4 as described")
                    .arg(column.name, m_spec.name, declared, TableSpec::typeName(column.type)));
        }
    }
    for (qsizetype i = 0; i < found.size(); ++i) {
        if (!found.at(i))
            return mismatch(
                tr("the table %1 has no column %2").arg(m_spec.name, m_spec.columns.at(i).name));
    }
    if (storedKey != m_spec.key) {
        return mismatch(tr("the table %1 has the key (%2), not (%3) as described")
                            .arg(m_spec.name, storedKey.join(QLatin1String(", ")),
                                m_spec.key.join(QLatin1String(", "))));
    }
    return {};
}

Result<void> PgTableLoad::startCopy()
{
    QStringList names;
    for (const ColumnSpec &column : std::as_const(m_spec.columns))
        names << column.name;
    QString copy;
    if (m_spec.key.isEmpty()) {
        copy = QStringLiteral("COPY %1 (%2) FROM STDIN")
                   .arg(TableSpec::quote(m_spec.name), quotedList(names));
    } else {
        QStringList columns;
        for (const ColumnSpec &column : std::as_const(m_spec.columns))
            columns << TableSpec::quote(column.name) + u' ' + pgType(column.type);
        columns << RowColumn + QStringLiteral(" BIGINT");
        const QString staging = QStringLiteral("CREATE TEMPORARY TABLE %1 (%2) ON COMMIT DROP")
                                    .arg(StagingTable, columns.join(QLatin1String(", ")));
        if (Result<PgSql::ResultPtr> made = PgSql::exec(m_conn, staging); !made)
            return failed(made.error());
        copy = QStringLiteral("COPY %1 (%2, %3) FROM STDIN")
                   .arg(StagingTable, quotedList(names), RowColumn);
    }
    PgSql::ResultPtr started(PQexec(m_conn, copy.toUtf8().constData()));
    if (PQresultStatus(started.get()) != PGRES_COPY_IN)
        return failed(PgSql::failure(m_conn, started.get()));
    m_copying = true;
    return {};
}

Result<void> PgTableLoad::addRow()
{
    const qsizetype rowStart = m_buffer.size();
    const bool keyed = !m_spec.key.isEmpty();
    for (std::size_t c = 0; c < m_row.size(); ++c) {
        if (c > 0)
            m_buffer.append('\t');
        if (!appendField(m_buffer, m_row[c], m_spec.columns.at(qsizetype(c)).type, m_nullable[c])) {
            m_buffer.truncate(rowStart);
            const QString row =
                m_rowName ? m_rowName(m_rows) : TableWriter::tr("row %1").arg(m_rows + 1);
            return TableWriter::misfitError(m_spec, m_row[c], row, int(c), m_where);
        }
    }
    if (keyed) {
        m_buffer.append('\t');
        m_buffer.append(QByteArray::number(m_rows));
    }
    m_buffer.append('\n');
    ++m_rows;
    if (m_buffer.size() >= FlushBytes)
        return flush();
    return {};
}

Result<void> PgTableLoad::flush()
{
    if (m_buffer.isEmpty())
        return {};
    if (PQputCopyData(m_conn, m_buffer.constData(), int(m_buffer.size())) != 1)
        return failed(PgSql::failure(m_conn, nullptr));
    m_buffer.clear();
    return {};
}

Result<qint64> PgTableLoad::merge()
{
    const QString table = TableSpec::quote(m_spec.name);
    QStringList names;
    QStringList updates;
    QStringList keyMatch;
    for (const ColumnSpec &column : std::as_const(m_spec.columns)) {
        names << column.name;
        const QString quoted = TableSpec::quote(column.name);
        if (m_spec.key.contains(column.name))
            keyMatch << QStringLiteral("t.%1 = s.%1").arg(quoted);
        else
            updates << QStringLiteral("%1 = s.%1").arg(quoted);
    }
    const bool replace = m_spec.onConflict == ConflictRule::Replace && !updates.isEmpty();
    const auto fail = [this](const Error &error) {
        return Error{ tr("cannot insert into %1: %2").arg(m_spec.name, error.what), m_where,
            error.code };
    };
    // No other writer between the look for stored keys and the insert: a plain INSERT of the
    // keys not stored yet then does what ON CONFLICT would, at half its cost. Readers go on.
    if (Result<PgSql::ResultPtr> locked = PgSql::exec(
            m_conn, QStringLiteral("LOCK TABLE %1 IN SHARE ROW EXCLUSIVE MODE").arg(table));
        !locked)
        return fail(locked.error());
    // One row a key: the first of the file when ignoring, the last when replacing.
    const QString rows = QStringLiteral("SELECT DISTINCT ON (%1) %2 FROM %3 ORDER BY %1, %4 %5")
                             .arg(quotedList(m_spec.key), quotedList(names), StagingTable,
                                 RowColumn, replace ? QLatin1String("DESC") : QLatin1String("ASC"));
    qint64 stored = 0;
    if (replace) {
        const QString update = QStringLiteral("UPDATE %1 AS t SET %2 FROM (%3) AS s WHERE %4")
                                   .arg(table, updates.join(QLatin1String(", ")), rows,
                                       keyMatch.join(QLatin1String(" AND ")));
        Result<PgSql::ResultPtr> updated = PgSql::exec(m_conn, update);
        if (!updated)
            return fail(updated.error());
        stored += QByteArray(PQcmdTuples(updated->get())).toLongLong();
    }
    const QString insert =
        QStringLiteral("INSERT INTO %1 (%2) SELECT %2 FROM (%3) AS s"
                       " WHERE NOT EXISTS (SELECT FROM %1 AS t WHERE %4)")
            .arg(table, quotedList(names), rows, keyMatch.join(QLatin1String(" AND ")));
    Result<PgSql::ResultPtr> inserted = PgSql::exec(m_conn, insert);
    if (!inserted)
        return fail(inserted.error());
    return stored + QByteArray(PQcmdTuples(inserted->get())).toLongLong();
}

Result<qint64> PgTableLoad::commit()
{
    if (Result<void> flushed = flush(); !flushed)
        return flushed.error();
    m_copying = false;
    if (PQputCopyEnd(m_conn, nullptr) != 1)
        return failed(PgSql::failure(m_conn, nullptr));
    std::optional<Error> copyFailed;
    qint64 stored = 0;
    while (PGresult *raw = PQgetResult(m_conn)) {
        const PgSql::ResultPtr result(raw);
        if (!PgSql::succeeded(raw) && !copyFailed)
            copyFailed = PgSql::failure(m_conn, raw);
        else
            stored = QByteArray(PQcmdTuples(raw)).toLongLong();
    }
    if (copyFailed) {
        return Error{ tr("cannot insert into %1: %2").arg(m_spec.name, copyFailed->what), m_where,
            copyFailed->code };
    }

    if (!m_spec.key.isEmpty()) {
        Result<qint64> merged = merge();
        if (!merged)
            return merged.error();
        stored = *merged;
    }
    m_open = false;
    if (Result<PgSql::ResultPtr> committed = PgSql::exec(m_conn, QStringLiteral("COMMIT"));
        !committed) {
        PQclear(PQexec(m_conn, "ROLLBACK"));
        return Error{
            tr("cannot commit the rows of %1: %2").arg(m_spec.name, committed.error().what),
            m_where, committed.error().code
        };
    }
    return stored;
}

} // namespace Sluice
