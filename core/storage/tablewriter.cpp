#include "storage/tablewriter.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include <QStringList>

#include <sqlite3.h>

#include "engine/displaytext.h"
#include "storage/pythonfloat.h"
#include "storage/sqliteconnection.h"

namespace Sluice {

namespace {

    // Rows a bulk insert statement takes: one statement execution opens the table's cursor
    // once, and as keys arrive in order SQLite seeks each next one from the last leaf instead
    // of the root. Measured on a year of BTC slots (pipeline_bench): about 3.3M rows/s with 64
    // rows a statement against 1.0M with one; 16 rows gave 2.9M, 256 no more than 64.
    constexpr int BulkRows = 64;

    // A bind result of ours beside SQLite's codes: the value does not fit the column.
    constexpr int Misfit = -1;

    // 2^63 as a double: reals in [-2^63, 2^63) convert to qint64 exactly when whole.
    constexpr double Int64Bound = 9223372036854775808.0;

    // Binds value at parameter as a column of `type` stores it: SQLITE_OK, a SQLite error, or
    // Misfit. Text is bound without a copy: the caller's values outlive the statement's step.
    int bindAs(sqlite3_stmt *statement, int parameter, const SqlValue &value, ColumnType type,
        bool nullable)
    {
        switch (value.type()) {
        case SqlValue::Type::Null:
            if (!nullable)
                return Misfit;
            return sqlite3_bind_null(statement, parameter);
        case SqlValue::Type::Integer:
            if (type == ColumnType::Real)
                return sqlite3_bind_double(statement, parameter, double(value.integer()));
            // A text column's affinity stores the integer's digits.
            return sqlite3_bind_int64(statement, parameter, value.integer());
        case SqlValue::Type::Real: {
            const double real = value.real();
            if (!std::isfinite(real))
                return Misfit;
            if (type == ColumnType::Integer) {
                if (real != std::trunc(real) || real < -Int64Bound || real >= Int64Bound)
                    return Misfit;
                return sqlite3_bind_int64(statement, parameter, qint64(real));
            }
            if (type == ColumnType::Text) {
                // The shortest text that reads back to the same double, not SQLite's 15 digits.
                char text[PythonFloat::MaxLength];
                const char *end = PythonFloat::write(real, text);
                return sqlite3_bind_text(
                    statement, parameter, text, int(end - text), SQLITE_TRANSIENT);
            }
            return sqlite3_bind_double(statement, parameter, real);
        }
        case SqlValue::Type::Text:
            break;
        }
        const QByteArray &utf8 = value.utf8Text();
        switch (type) {
        case ColumnType::Integer: {
            qint64 integer = 0;
            if (!TableWriter::readsAsInteger(utf8, integer))
                return Misfit;
            return sqlite3_bind_int64(statement, parameter, integer);
        }
        case ColumnType::Real: {
            double real = 0;
            if (!TableWriter::readsAsReal(utf8, real))
                return Misfit;
            return sqlite3_bind_double(statement, parameter, real);
        }
        case ColumnType::Text:
            break;
        }
        return sqlite3_bind_text(
            statement, parameter, utf8.constData(), int(utf8.size()), SQLITE_STATIC);
    }

    // SQLite's type affinity of a declared column type (https://sqlite.org/datatype3.html,
    // 3.1), as the ColumnType that stores the same way, or nullopt for NUMERIC and BLOB.
    std::optional<ColumnType> affinity(const QString &declared)
    {
        const QString type = declared.toUpper();
        if (type.contains(QLatin1String("INT")))
            return ColumnType::Integer;
        if (type.contains(QLatin1String("CHAR")) || type.contains(QLatin1String("CLOB"))
            || type.contains(QLatin1String("TEXT")))
            return ColumnType::Text;
        if (type.isEmpty() || type.contains(QLatin1String("BLOB")))
            return std::nullopt;
        if (type.contains(QLatin1String("REAL")) || type.contains(QLatin1String("FLOA"))
            || type.contains(QLatin1String("DOUB")))
            return ColumnType::Real;
        return std::nullopt;
    }

    QString columnText(sqlite3_stmt *statement, int column)
    {
        return QString::fromUtf8(
            reinterpret_cast<const char *>(sqlite3_column_text(statement, column)),
            sqlite3_column_bytes(statement, column));
    }

    // How a value shows in an error: 42, 67012.5, "abc" (controls escaped, long texts cut).
    QString shown(const SqlValue &value)
    {
        switch (value.type()) {
        case SqlValue::Type::Null:
            return QStringLiteral("null");
        case SqlValue::Type::Integer:
            return QString::number(value.integer());
        case SqlValue::Type::Real:
            return PythonFloat::toString(value.real());
        case SqlValue::Type::Text:
            break;
        }
        constexpr int Longest = 40;
        const QString text = QString::fromUtf8(value.utf8Text());
        const QString cut = text.size() > Longest ? text.left(Longest) + QChar(0x2026) : text;
        return u'"' + escapeControls(cut) + u'"';
    }

} // namespace

bool TableWriter::readsAsInteger(const QByteArray &text, qint64 &value)
{
    const qsizetype start = text.startsWith('-') ? 1 : 0;
    if (text.size() == start)
        return false;
    for (qsizetype i = start; i < text.size(); ++i) {
        if (text.at(i) < '0' || text.at(i) > '9')
            return false;
    }
    bool ok = false;
    value = text.toLongLong(&ok, 10); // false beyond 64 bits
    return ok;
}

bool TableWriter::readsAsReal(const QByteArray &text, double &value)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        const bool allowed =
            (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
        if (!allowed)
            return false;
    }
    bool ok = false;
    value = text.toDouble(&ok);
    return ok && std::isfinite(value);
}

Error TableWriter::misfitError(const TableSpec &spec, const SqlValue &value, const QString &row,
    int column, const QString &where)
{
    const ColumnSpec &described = spec.columns.at(column);
    if (value.isNull()) {
        return Error{ tr("cannot insert into %1 at %2: the column %3 may not be null")
                          .arg(spec.name, row, described.name),
            where, ErrorCode::Permanent };
    }
    return Error{ tr("cannot insert into %1 at %2: %3 does not fit the column %4 (%5)")
                      .arg(spec.name, row, shown(value), described.name,
                          TableSpec::typeName(described.type)),
        where, ErrorCode::Permanent };
}

TableWriter::TableWriter(TableWriter &&other) noexcept = default;
TableWriter &TableWriter::operator=(TableWriter &&other) noexcept = default;
TableWriter::~TableWriter() = default;

Result<TableWriter> TableWriter::open(const SqliteConnection &connection, const TableSpec &spec)
{
    if (Result<void> ok = spec.check(); !ok) {
        Error error = ok.error();
        error.where = connection.path();
        return error;
    }
    TableWriter writer;
    Result<sqlite3 *> db = connection.handle();
    if (!db)
        return db.error();
    writer.m_db = *db;
    writer.m_path = connection.path();
    writer.m_spec = spec;
    for (int c = 0; c < int(spec.columns.size()); ++c) {
        writer.m_types.push_back(spec.columns.at(c).type);
        writer.m_nullable.push_back(!spec.columns.at(c).notNull && !spec.isKey(c));
    }
    if (Result<void> ok = writer.createOrCheck(); !ok)
        return ok.error();

    const int columns = int(spec.columns.size());
    const int maxParameters = sqlite3_limit(writer.m_db, SQLITE_LIMIT_VARIABLE_NUMBER, -1);
    writer.m_bulkRows = std::clamp(maxParameters / columns, 1, BulkRows);
    QStringList names;
    for (const ColumnSpec &column : spec.columns)
        names << TableSpec::quote(column.name);
    const QString row = u'(' + QStringList(columns, QStringLiteral("?")).join(u',') + u')';
    const auto insertSql = [&](int rows) {
        return QStringLiteral("INSERT OR %1 INTO %2 (%3) VALUES %4")
            .arg(spec.onConflict == ConflictRule::Replace ? QLatin1String("REPLACE")
                                                          : QLatin1String("IGNORE"),
                TableSpec::quote(spec.name), names.join(QLatin1String(", ")),
                QStringList(rows, row).join(u','));
    };
    writer.m_singleBound.assign(std::size_t(columns), BoundText());
    writer.m_bulkBound.assign(std::size_t(columns * writer.m_bulkRows), BoundText());
    Result<Statement> single = writer.prepare(insertSql(1));
    if (!single)
        return single.error();
    writer.m_insert = std::move(*single);
    if (writer.m_bulkRows > 1) {
        Result<Statement> bulk = writer.prepare(insertSql(writer.m_bulkRows));
        if (!bulk)
            return bulk.error();
        writer.m_bulkInsert = std::move(*bulk);
    }
    return Result<TableWriter>(std::move(writer));
}

Result<void> TableWriter::createOrCheck()
{
    const QByteArray table = m_spec.name.toUtf8();
    Result<Statement> kind =
        prepare(QStringLiteral("SELECT type FROM sqlite_master WHERE name = ?1 COLLATE NOCASE"));
    if (!kind)
        return kind.error();
    sqlite3_bind_text(kind->get(), 1, table.constData(), int(table.size()), SQLITE_STATIC);
    int rc = sqlite3_step(kind->get());
    if (rc == SQLITE_DONE) {
        const QByteArray create = m_spec.createSql().toUtf8();
        if (sqlite3_exec(m_db, create.constData(), nullptr, nullptr, nullptr) != SQLITE_OK)
            return sqliteError(tr("cannot create the table %1").arg(m_spec.name));
        return {};
    }
    if (rc != SQLITE_ROW)
        return sqliteError(tr("cannot look up the table %1").arg(m_spec.name));
    if (columnText(kind->get(), 0) != QLatin1String("table")) {
        return Error{ tr("%1 is a %2, not a table").arg(m_spec.name, columnText(kind->get(), 0)),
            m_path, ErrorCode::Permanent };
    }

    Result<Statement> info = prepare(QStringLiteral(
        "SELECT name, type, \"notnull\", dflt_value IS NOT NULL, pk FROM pragma_table_info(?1)"));
    if (!info)
        return info.error();
    sqlite3_bind_text(info->get(), 1, table.constData(), int(table.size()), SQLITE_STATIC);
    const auto mismatch = [this](const QString &what) {
        return Error{ what, m_path, ErrorCode::Permanent };
    };
    QList<bool> found(m_spec.columns.size(), false);
    QStringList storedKey; // by position in the primary key
    while ((rc = sqlite3_step(info->get())) == SQLITE_ROW) {
        const QString name = columnText(info->get(), 0);
        const QString declared = columnText(info->get(), 1);
        const bool notNull = sqlite3_column_int(info->get(), 2) != 0;
        const bool hasDefault = sqlite3_column_int(info->get(), 3) != 0;
        const int keyPosition = sqlite3_column_int(info->get(), 4);
        if (keyPosition > 0) {
            if (storedKey.size() < keyPosition)
                storedKey.resize(keyPosition);
            storedKey[keyPosition - 1] = name;
        }
        const int index = m_spec.indexOf(name);
        if (index < 0) {
            if (notNull && !hasDefault)
                return mismatch(tr("the table %1 has a column %2 that must be set and is not "
                                   "described")
                                    .arg(m_spec.name, name));
            continue;
        }
        found[index] = true;
        const ColumnSpec &column = m_spec.columns.at(index);
        if (affinity(declared) != column.type) {
            return mismatch(
                tr("the column %1 of the table %2 is declared %3, not %4 as described")
                    .arg(column.name, m_spec.name,
                        declared.isEmpty() ? QStringLiteral("without a type") : declared,
                        TableSpec::typeName(column.type)));
        }
    }
    if (rc != SQLITE_DONE)
        return sqliteError(tr("cannot read the columns of the table %1").arg(m_spec.name));
    for (qsizetype i = 0; i < found.size(); ++i) {
        if (!found.at(i))
            return mismatch(
                tr("the table %1 has no column %2").arg(m_spec.name, m_spec.columns.at(i).name));
    }
    bool sameKey = storedKey.size() == m_spec.key.size();
    for (qsizetype i = 0; sameKey && i < storedKey.size(); ++i)
        sameKey = storedKey.at(i).compare(m_spec.key.at(i), Qt::CaseInsensitive) == 0;
    if (!sameKey) {
        return mismatch(tr("the table %1 has the key (%2), not (%3) as described")
                            .arg(m_spec.name, storedKey.join(QLatin1String(", ")),
                                m_spec.key.join(QLatin1String(", "))));
    }
    return {};
}

Result<TableWriter::Statement> TableWriter::prepare(const QString &sql) const
{
    return prepareStatement(m_db, sql, m_path);
}

Error TableWriter::sqliteError(const QString &what) const
{
    return SqliteConnection::sqliteError(m_db, what, m_path);
}

QString TableWriter::nameOf(qint64 row, const RowName &rowName) const
{
    return rowName ? rowName(row) : tr("row %1").arg(row + 1);
}

Error TableWriter::misfit(
    const SqlValue &value, qint64 row, int column, const RowName &rowName) const
{
    return misfitError(m_spec, value, nameOf(row, rowName), column, m_path);
}

bool TableWriter::bindRows(sqlite3_stmt *statement, std::span<const SqlValue> values, qint64 first,
    int rows, qint64 &failedRow, int &failedColumn, int &rc)
{
    const int columns = int(m_spec.columns.size());
    const SqlValue *value = values.data() + first * columns;
    std::vector<BoundText> &bound = statement == m_insert.get() ? m_singleBound : m_bulkBound;
    const ColumnType *types = m_types.data();
    int parameter = 1;
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < columns; ++c, ++value, ++parameter) {
            // The common cases first: a number for a column of its own type (whose parameter
            // never holds a text, so its bound text stays none).
            if (value->type() == SqlValue::Type::Real && types[c] == ColumnType::Real
                && std::isfinite(value->real())) {
                rc = sqlite3_bind_double(statement, parameter, value->real());
            } else if (value->type() == SqlValue::Type::Integer
                && types[c] == ColumnType::Integer) {
                rc = sqlite3_bind_int64(statement, parameter, value->integer());
            } else if (value->type() == SqlValue::Type::Text && types[c] == ColumnType::Text) {
                // The same bytes as the last row's here (a key column's value shared by every
                // row, as the warehouse's series key): the parameter holds them already.
                const QByteArray &text = value->utf8Text();
                BoundText &last = bound[std::size_t(parameter - 1)];
                if (last.first == text.constData() && last.second == text.size() && last.first) {
                    rc = SQLITE_OK;
                } else {
                    last = { text.constData(), text.size() };
                    rc = sqlite3_bind_text(
                        statement, parameter, text.constData(), int(text.size()), SQLITE_STATIC);
                }
            } else {
                // Any other value: a parameter of a text column may hold a text no more.
                bound[std::size_t(parameter - 1)] = {};
                rc = bindAs(statement, parameter, *value, types[c], m_nullable[std::size_t(c)]);
            }
            if (rc != SQLITE_OK) {
                failedRow = first + r;
                failedColumn = c;
                return false;
            }
        }
    }
    return true;
}

Result<qint64> TableWriter::insert(std::span<const SqlValue> values, const RowName &rowName)
{
    const qint64 columns = qint64(m_spec.columns.size());
    if (qint64(values.size()) % columns != 0) {
        return Error{ tr("%1 values do not make whole rows of the %2 columns of %3")
                          .arg(qint64(values.size()))
                          .arg(columns)
                          .arg(m_spec.name),
            m_path, ErrorCode::Permanent };
    }
    const qint64 rows = qint64(values.size()) / columns;
    qint64 stored = 0;
    qint64 row = 0;
    qint64 failedRow = 0;
    int failedColumn = 0;
    int rc = SQLITE_OK;
    // The statements' texts point into `values`: unbind them before returning.
    const auto unbind = [this] {
        for (sqlite3_stmt *statement : { m_insert.get(), m_bulkInsert.get() }) {
            sqlite3_reset(statement);
            sqlite3_clear_bindings(statement);
        }
        std::fill(m_singleBound.begin(), m_singleBound.end(), BoundText());
        std::fill(m_bulkBound.begin(), m_bulkBound.end(), BoundText());
    };
    const auto fail = [&](Error error) {
        unbind();
        return error;
    };
    const auto bindFailed = [&] {
        if (rc == Misfit)
            return misfit(values[std::size_t(failedRow * columns + failedColumn)], failedRow,
                failedColumn, rowName);
        return sqliteError(tr("cannot bind %1 of %2 at %3")
                               .arg(m_spec.columns.at(failedColumn).name, m_spec.name,
                                   nameOf(failedRow, rowName)));
    };

    sqlite3_stmt *bulk = m_bulkInsert.get();
    while (bulk && rows - row >= m_bulkRows) {
        if (!bindRows(bulk, values, row, m_bulkRows, failedRow, failedColumn, rc))
            return fail(bindFailed());
        if (sqlite3_step(bulk) != SQLITE_DONE) {
            Error error = sqliteError(
                tr("cannot insert into %1 at %2 to %3")
                    .arg(m_spec.name, nameOf(row, rowName), nameOf(row + m_bulkRows - 1, rowName)));
            sqlite3_reset(bulk);
            if (sqlite3_get_autocommit(m_db))
                return fail(error); // the transaction is gone with the statement
            // SQLite undid the failed statement alone: insert its rows one by one below,
            // which names the row at fault.
            break;
        }
        stored += sqlite3_changes(m_db);
        sqlite3_reset(bulk);
        row += m_bulkRows;
    }
    sqlite3_stmt *single = m_insert.get();
    for (; row < rows; ++row) {
        if (!bindRows(single, values, row, 1, failedRow, failedColumn, rc))
            return fail(bindFailed());
        if (sqlite3_step(single) != SQLITE_DONE) {
            return fail(sqliteError(
                tr("cannot insert into %1 at %2").arg(m_spec.name, nameOf(row, rowName))));
        }
        stored += sqlite3_changes(m_db);
        sqlite3_reset(single);
    }
    unbind();
    return stored;
}

Result<qint64> TableWriter::write(std::span<const SqlValue> values, const RowName &rowName)
{
    if (sqlite3_exec(m_db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
        return sqliteError(tr("cannot begin a write transaction"));
    Result<qint64> stored = insert(values, rowName);
    if (stored && sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
        stored = sqliteError(tr("cannot commit the rows of %1").arg(m_spec.name));
    // Some errors end the transaction themselves; roll back what is left of it.
    if (!stored && !sqlite3_get_autocommit(m_db))
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    return stored;
}

} // namespace Sluice
