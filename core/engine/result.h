#pragma once

// Errors as values: core functions return Result<T>, a value or an Error naming what failed
// and where. No exception crosses a thread, a slot or the event loop.

#include <optional>
#include <utility>
#include <variant>

#include <QString>

namespace Sluice {

// What a caller may decide on about an error. Messages are translated: branch on this, never
// on Error::what.
enum class ErrorCode {
    Unspecified, // nothing to decide on; the engine retries it as the task's policy says
    Transient, // worth trying again: timeouts, connection resets, HTTP 408, 425, 429 and 5xx
    Permanent, // the same request fails again: other 4xx, invalid JSON, TLS, redirect loop
    Cancelled, // the caller asked to stop
    NoKeyring, // no system keyring answered; the file fallback may be offered
};

struct Error
{
    QString what; // "HTTP 429, retry after 30 s"
    QString where; // "GET /api/v3/klines", a file path, a setting key
    ErrorCode code = ErrorCode::Unspecified;

    // Whether trying the same work again may succeed: false for Permanent and Cancelled.
    bool isRetryable() const
    {
        return code != ErrorCode::Permanent && code != ErrorCode::Cancelled;
    }

    // "where: what", or just "what" when there is no place to name.
    QString message() const { return where.isEmpty() ? what : where + QStringLiteral(": ") + what; }
};

template <typename T> class [[nodiscard]] Result
{
public:
    Result(const T &value)
        : m_data(value)
    { }
    Result(T &&value)
        : m_data(std::move(value))
    { }
    Result(const Error &error)
        : m_data(error)
    { }
    Result(Error &&error)
        : m_data(std::move(error))
    { }

    bool hasValue() const { return m_data.index() == 0; }
    explicit operator bool() const { return hasValue(); }

    T &value() & { return std::get<0>(m_data); }
    const T &value() const & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    const Error &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

template <> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(const Error &error)
        : m_error(error)
    { }
    Result(Error &&error)
        : m_error(std::move(error))
    { }

    bool hasValue() const { return !m_error.has_value(); }
    explicit operator bool() const { return hasValue(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

} // namespace Sluice
