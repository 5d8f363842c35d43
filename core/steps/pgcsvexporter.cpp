#include "steps/pgcsvexporter.h"

#include <charconv>
#include <cmath>
#include <limits>

#include <QElapsedTimer>
#include <QFileDevice>
#include <QStringList>

#include <libpq-fe.h>

#include "steps/pgsql.h"
#include "storage/csvoutputfile.h"
#include "store/pgconnection.h"

namespace Sluice {

namespace {

    constexpr qint64 ChunkRows = 4096; // rows between checks of the cancel flag and the output
    constexpr qint64 ProgressIntervalMs = 100;

    // The OIDs of the types written as numbers (pg_type.dat).
    constexpr Oid BoolOid = 16;
    constexpr Oid ByteaOid = 17;
    constexpr Oid Int8Oid = 20;
    constexpr Oid Int2Oid = 21;
    constexpr Oid Int4Oid = 23;
    constexpr Oid OidOid = 26;
    constexpr Oid Float4Oid = 700;
    constexpr Oid Float8Oid = 701;
    constexpr Oid NumericOid = 1700;

    bool readInteger(const char *text, int length, qint64 &value)
    {
        const auto [end, error] = std::from_chars(text, text + length, value);
        return error == std::errc() && end == text + length;
    }

    // PostgreSQL's text of a float: shortest digits (extra_float_digits 3), Infinity, NaN.
    bool readDouble(const char *text, int length, double &value)
    {
        const QByteArray word = QByteArray::fromRawData(text, length);
        if (word == "Infinity" || word == "-Infinity") {
            value = word.startsWith('-') ? -std::numeric_limits<double>::infinity()
                                         : std::numeric_limits<double>::infinity();
            return true;
        }
        if (word == "NaN") {
            value = std::numeric_limits<double>::quiet_NaN();
            return true;
        }
        const auto [end, error] = std::from_chars(text, text + length, value);
        return error == std::errc() && end == text + length;
    }

    // Writes one field of a row as the SQLite export writes the same value.
    void writeField(CsvWriter &writer, const PGresult *result, int row, int column)
    {
        if (PQgetisnull(result, row, column)) {
            writer.writeNull();
            return;
        }
        const char *text = PQgetvalue(result, row, column);
        const int length = PQgetlength(result, row, column);
        qint64 integer = 0;
        double real = 0;
        switch (PQftype(result, column)) {
        case Int2Oid:
        case Int4Oid:
        case Int8Oid:
        case OidOid:
            if (readInteger(text, length, integer)) {
                writer.writeInteger(integer);
                return;
            }
            break;
        case BoolOid:
            writer.writeInteger(text[0] == 't' ? 1 : 0);
            return;
        case Float4Oid:
        case Float8Oid:
            if (readDouble(text, length, real)) {
                writer.writeDouble(real);
                return;
            }
            break;
        case NumericOid:
            if (readInteger(text, length, integer)) {
                writer.writeInteger(integer);
                return;
            }
            if (readDouble(text, length, real)) {
                writer.writeDouble(real);
                return;
            }
            break;
        case ByteaOid: {
            std::size_t size = 0;
            unsigned char *bytes =
                PQunescapeBytea(reinterpret_cast<const unsigned char *>(text), &size);
            if (bytes) {
                writer.writeBlob(bytes, size);
                PQfreemem(bytes);
                return;
            }
            break;
        }
        default:
            break;
        }
        writer.writeText(text, std::size_t(length));
    }

    // The columns of a relation in order and its primary key's, from the catalog.
    struct Relation
    {
        QStringList columns;
        QStringList key;
    };

} // namespace

struct PgCsvExporter::Query
{
    PGconn *conn = nullptr;
    PgSql::ResultPtr first; // the first result: the header and maybe a row
    QStringList header;
    qint64 total = -1;
    bool open = false; // a transaction to end
    bool pending = false; // results to read before the connection is free

    ~Query()
    {
        if (!conn)
            return;
        if (pending) {
            if (PGcancel *cancel = PQgetCancel(conn)) {
                char message[256];
                PQcancel(cancel, message, int(sizeof message));
                PQfreeCancel(cancel);
            }
            while (PGresult *result = PQgetResult(conn))
                PQclear(result);
        }
        if (open)
            PQclear(PQexec(conn, "ROLLBACK"));
    }
};

PgCsvExporter::PgCsvExporter(const PgConnection &connection)
    : m_connection(connection)
    , m_where(connection.url().redacted())
{ }

Error PgCsvExporter::fail(CsvExporter::Failure failure, Error error)
{
    m_failure = failure;
    if (error.where.isEmpty())
        error.where = m_where;
    return error;
}

Result<void> PgCsvExporter::prepare(const CsvRequest &request, Query &query)
{
    using Failure = CsvExporter::Failure;
    const char delimiter[] = { request.format.delimiter, 0 };
    if (Result<char> valid = CsvExporter::parseDelimiter(QString::fromLatin1(delimiter)); !valid)
        return fail(Failure::BadRequest, Error{ valid.error().what, QString() });
    PGconn *conn = PgSql::handle(m_connection);
    if (!conn)
        return fail(Failure::Io, Error{ tr("the connection is not open"), m_where });
    query.conn = conn;

    // One snapshot for the count and the rows; nothing the query does can write.
    Result<PgSql::ResultPtr> begun = PgSql::exec(
        conn, QStringLiteral("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
    if (!begun)
        return fail(Failure::Io, begun.error());
    query.open = true;
    // Floats as their shortest exact digits, whatever the server's default.
    if (Result<PgSql::ResultPtr> set =
            PgSql::exec(conn, QStringLiteral("SET LOCAL extra_float_digits = 3"));
        !set)
        return fail(Failure::Io, set.error());

    PgSql::Statement statement;
    if (!request.query.isEmpty()) {
        const QList<PgSql::Statement> statements = PgSql::split(request.query);
        if (statements.size() != 1)
            return fail(
                Failure::BadRequest, Error{ tr("the query must be one statement"), QString() });
        statement = statements.first();
    } else {
        const QString table = TableSpec::quote(request.table);
        Result<PgSql::ResultPtr> columns = PgSql::exec(conn,
            QStringLiteral(
                "SELECT a.attname, coalesce((SELECT k.n FROM unnest(i.indkey) WITH ORDINALITY"
                " AS k(attnum, n) WHERE k.attnum = a.attnum), 0)"
                " FROM pg_attribute a LEFT JOIN pg_index i"
                " ON i.indrelid = a.attrelid AND i.indisprimary"
                " WHERE a.attrelid = to_regclass($1) AND a.attnum > 0"
                " AND NOT a.attisdropped ORDER BY a.attnum"),
            { table });
        if (!columns)
            return fail(Failure::Io, columns.error());
        Relation relation;
        for (int r = 0; r < PQntuples(columns->get()); ++r) {
            const QString name = QString::fromUtf8(PQgetvalue(columns->get(), r, 0));
            const int position = QByteArray(PQgetvalue(columns->get(), r, 1)).toInt();
            relation.columns << name;
            if (position > 0) {
                relation.key.resize(std::max<qsizetype>(relation.key.size(), position));
                relation.key[position - 1] = name;
            }
        }
        if (relation.columns.isEmpty()) {
            Result<PgSql::ResultPtr> tables = PgSql::exec(conn,
                QStringLiteral("SELECT tablename FROM pg_tables"
                               " WHERE schemaname = current_schema() ORDER BY 1"));
            QStringList names;
            for (int r = 0; tables && r < PQntuples(tables->get()); ++r)
                names << QString::fromUtf8(PQgetvalue(tables->get(), r, 0));
            return fail(Failure::BadRequest,
                Error{ tr("unknown table \"%1\"; the tables are %2")
                           .arg(request.table, names.join(QStringLiteral(", "))),
                    QString() });
        }
        QStringList quoted;
        for (const QString &name : std::as_const(relation.columns))
            quoted << TableSpec::quote(name);
        QStringList order;
        for (const QString &name : std::as_const(relation.key))
            order << TableSpec::quote(name);
        if (m_progress) {
            Result<PgSql::ResultPtr> count =
                PgSql::exec(conn, QStringLiteral("SELECT count(*) FROM %1").arg(table));
            if (!count)
                return fail(Failure::Io, count.error());
            query.total = QByteArray(PQgetvalue(count->get(), 0, 0)).toLongLong();
        }
        statement.text = QStringLiteral("SELECT %1 FROM %2%3")
                             .arg(quoted.join(QLatin1String(", ")), table,
                                 order.isEmpty() ? QString()
                                                 : QStringLiteral(" ORDER BY ")
                                         + order.join(QLatin1String(", ")))
                             .toUtf8();
    }

    if (Result<void> sent = PgSql::send(conn, statement, request.binds, true); !sent)
        return fail(Failure::BadRequest, sent.error());
    query.pending = true;
    const PgSql::CancelCheck cancelled = [this] { return isCancelled(); };
    Result<PgSql::ResultPtr> first = PgSql::next(conn, cancelled);
    if (!first)
        return fail(Failure::Io, first.error());
    const ExecStatusType status = PQresultStatus(first->get());
    if (status != PGRES_SINGLE_TUPLE && status != PGRES_TUPLES_OK) {
        const QByteArray state = PgSql::sqlState(first->get());
        if (status == PGRES_COMMAND_OK || state == "25006") // read_only_sql_transaction
            return fail(Failure::BadRequest,
                Error{ tr("the query must be a SELECT that only reads"), QString() });
        const Error error = PgSql::failure(conn, first->get(), isCancelled());
        if (error.code == ErrorCode::Cancelled)
            return fail(Failure::Cancelled, Error{ tr("the export was cancelled"), QString() });
        // The server refused the query itself (syntax, unknown column): the request's fault.
        const bool refused = state.startsWith("42") || state.startsWith("22");
        return fail(refused ? Failure::BadRequest : Failure::Io,
            Error{ tr("PostgreSQL error in the query: %1").arg(error.what), QString() });
    }
    for (int c = 0; c < PQnfields(first->get()); ++c)
        query.header << QString::fromUtf8(PQfname(first->get(), c));
    query.first = std::move(*first);
    return {};
}

Result<CsvSummary> PgCsvExporter::stream(
    Query &query, const CsvFormat &format, QIODevice *device, const QString &name)
{
    using Failure = CsvExporter::Failure;
    CsvWriter writer(device, format);
    const auto writeError = [&] {
        return fail(
            Failure::Io, Error{ tr("cannot write the CSV: %1").arg(writer.errorString()), name });
    };
    if (format.header) {
        for (const QString &column : std::as_const(query.header))
            writer.writeText(column);
        writer.endRow();
    }

    QElapsedTimer clock;
    clock.start();
    qint64 lastProgress = 0;
    if (m_progress)
        m_progress(0, query.total);

    const PgSql::CancelCheck cancelled = [this] { return isCancelled(); };
    qint64 rows = 0;
    PgSql::ResultPtr result = std::move(query.first);
    while (result) {
        const ExecStatusType status = PQresultStatus(result.get());
        if (status == PGRES_SINGLE_TUPLE) {
            const int columns = PQnfields(result.get());
            for (int c = 0; c < columns; ++c)
                writeField(writer, result.get(), 0, c);
            writer.endRow();
            if (++rows % ChunkRows == 0) {
                if (isCancelled())
                    return fail(Failure::Cancelled, Error{ tr("the export was cancelled"), name });
                if (writer.failed())
                    return writeError();
                if (m_progress
                    && (rows == ChunkRows
                        || clock.elapsed() - lastProgress >= ProgressIntervalMs)) {
                    lastProgress = clock.elapsed();
                    m_progress(rows, query.total);
                }
            }
        } else if (status != PGRES_TUPLES_OK) {
            const Error error = PgSql::failure(query.conn, result.get(), isCancelled());
            if (error.code == ErrorCode::Cancelled)
                return fail(Failure::Cancelled, Error{ tr("the export was cancelled"), name });
            return fail(
                Failure::Io, Error{ tr("cannot read the rows: %1").arg(error.what), QString() });
        }
        Result<PgSql::ResultPtr> next = PgSql::next(query.conn, cancelled);
        if (!next)
            return fail(Failure::Io,
                Error{ tr("cannot read the rows: %1").arg(next.error().what), QString() });
        result = std::move(*next);
    }
    query.pending = false;
    if (isCancelled())
        return fail(Failure::Cancelled, Error{ tr("the export was cancelled"), name });
    if (!writer.flush())
        return writeError();
    if (auto *file = qobject_cast<QFileDevice *>(device); file && !file->flush()) {
        return fail(
            Failure::Io, Error{ tr("cannot write the CSV: %1").arg(file->errorString()), name });
    }
    if (m_progress)
        m_progress(rows, query.total < 0 ? rows : query.total);
    return CsvSummary{ rows, writer.bytes() };
}

Result<CsvSummary> PgCsvExporter::exportToFile(const CsvRequest &request, const QString &path)
{
    m_failure = CsvExporter::Failure::None;
    Query query;
    if (Result<void> prepared = prepare(request, query); !prepared)
        return prepared.error();
    if (isCancelled())
        return fail(CsvExporter::Failure::Cancelled, Error{ tr("the export was cancelled"), path });
    Result<CsvOutputFile> output = CsvOutputFile::open(path);
    if (!output)
        return fail(CsvExporter::Failure::Io, output.error());
    Result<CsvSummary> summary = stream(query, request.format, output->device(), path);
    if (!summary)
        return summary; // the output drops its temporary file; an existing target is untouched
    if (Result<void> committed = output->commit(); !committed)
        return fail(CsvExporter::Failure::Io, committed.error());
    return summary;
}

} // namespace Sluice
