#pragma once

// A loopback HTTP/1.1 server for tests, living on the thread that creates it (the test's main
// thread, whose event loop must run while a client waits: QSignalSpy::wait, QTRY_*, or
// runOnWorkerThread below). It routes requests by path to canned or generated responses,
// misbehaves on request (any status and headers, delays, truncated bodies, dropped
// connections), and records every request it received.
//
// Built on QTcpServer rather than QHttpServer: Qt 6.4's QHttpServer cannot delay a response,
// truncate a body or drop a connection mid-response, which are the faults the clients must meet.

#include <functional>
#include <memory>
#include <optional>

#include <QByteArray>
#include <QEventLoop>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPair>
#include <QString>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

class QTcpServer;
class QTcpSocket;

class HttpFixture : public QObject
{
    Q_OBJECT

public:
    struct Request
    {
        QByteArray method;
        QByteArray target; // as sent: "/path?query", or "http://host/path?query" through a proxy
        QString path; // decoded
        QUrlQuery query;
        QMap<QByteArray, QByteArray> headers; // names in lower case
        QByteArray body;

        QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
        QString queryValue(const QString &key) const { return query.queryItemValue(key); }
    };

    struct Response
    {
        int status = 200;
        QByteArray reason; // empty: the standard phrase of status
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        QByteArray contentType = "application/json";
        int delayMs = 0; // before anything is sent
        int bodyDelayMs = 0; // after the status line and headers, before the body
        qsizetype truncateAt = -1; // >= 0: send that many body bytes, then close the connection
                                   // (Content-Length still announces the whole body)
        bool dropConnection = false; // close the connection without answering

        static Response json(const QByteArray &body, int status = 200);
        static Response text(int status, const QByteArray &body = {});
        // A redirect to location (absolute or relative), with an empty body.
        static Response redirect(const QByteArray &location, int status = 302);
        Response &withHeader(const QByteArray &name, const QByteArray &value);
    };

    using Handler = std::function<Response(const Request &)>;

    explicit HttpFixture(QObject *parent = nullptr);
    ~HttpFixture() override;

    // Listens on 127.0.0.1 on a port the OS chooses; false when that fails.
    // 127.0.0.2 and the rest of 127.0.0.0/8 are loopback too: a server there is "another host"
    // without name resolution.
    bool listen(const QHostAddress &address = QHostAddress::LocalHost);
    quint16 port() const;
    QUrl url() const; // http://127.0.0.1:<port>

    // Requests for exactly this path (query ignored) get the handler's response.
    void route(const QString &path, Handler handler);
    void route(const QString &path, const Response &response);
    // For paths without a route; by default 404 Not Found.
    void setFallback(Handler handler);

    // Connections that began with a TLS handshake (an https:// client at this plain HTTP
    // port); each got "400 Bad Request" in plain HTTP and was closed, as real servers do.
    int tlsHandshakes() const { return m_tlsHandshakes; }

    QList<Request> requests() const { return m_requests; }
    QList<Request> requests(const QString &path) const;
    void clearRequests() { m_requests.clear(); }

    // The bytes of tests/fixtures/<relativePath>; empty (and a warning) when it cannot be read.
    static QByteArray fixture(const QString &relativePath);
    // A loopback port nothing listens on: bound by the OS, then released.
    static quint16 unusedPort();

Q_SIGNALS:
    void requestReceived(const QString &path);

private:
    void onNewConnection();
    void serveNext(QTcpSocket *socket);
    void respond(QTcpSocket *socket, const Response &response, bool keepAlive);
    Response answer(const Request &request) const;

    QTcpServer *m_server;
    QMap<QString, Handler> m_routes;
    Handler m_fallback;
    QList<Request> m_requests;
    QMap<QTcpSocket *, QByteArray> m_buffers; // bytes received and not yet parsed
    QMap<QTcpSocket *, bool> m_busy; // a response is pending on that connection
    int m_tlsHandshakes = 0;
};

// Runs work on a new QThread, as a flow task runs on a pool thread with its own
// QNetworkAccessManager, while this thread's event loop keeps serving fixtures; returns what work
// returned, or nothing when it did not finish within timeoutMs (the thread is then left to end).
template <typename T>
std::optional<T> runOnWorkerThread(
    const std::function<T(QNetworkAccessManager *)> &work, int timeoutMs = 60000)
{
    // Shared: a worker that overran timeoutMs still writes its result somewhere valid.
    const auto result = std::make_shared<std::optional<T>>();
    QThread *thread = QThread::create([result, work] {
        QNetworkAccessManager network;
        result->emplace(work(&network));
    });
    QEventLoop loop;
    QObject::connect(thread, &QThread::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    thread->start();
    loop.exec();
    if (!thread->isFinished()) {
        QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
        return std::nullopt;
    }
    thread->wait();
    delete thread;
    return *result;
}
