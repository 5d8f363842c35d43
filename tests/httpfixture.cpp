#include "httpfixture.h"

#include <QFile>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

namespace {

QByteArray standardReason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 307:
        return "Temporary Redirect";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 408:
        return "Request Timeout";
    case 418:
        return "I'm a teapot";
    case 425:
        return "Too Early";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

// Parses one request head ("GET /x HTTP/1.1\r\nName: value\r\n..."), without the final CRLF.
HttpFixture::Request parseHead(const QByteArray &head)
{
    HttpFixture::Request request;
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    request.method = requestLine.value(0);
    request.target = requestLine.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            request.headers.insert(
                line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    // Origin form "/path?query", or the absolute form a client sends to a proxy.
    const QUrl url = request.target.startsWith('/')
        ? QUrl(QStringLiteral("http://fixture") + QString::fromLatin1(request.target))
        : QUrl(QString::fromLatin1(request.target));
    request.path = url.path();
    request.query = QUrlQuery(url);
    return request;
}

} // namespace

HttpFixture::Response HttpFixture::Response::json(const QByteArray &body, int status)
{
    Response response;
    response.status = status;
    response.body = body;
    return response;
}

HttpFixture::Response HttpFixture::Response::text(int status, const QByteArray &body)
{
    Response response;
    response.status = status;
    response.body = body;
    response.contentType = "text/plain; charset=utf-8";
    return response;
}

HttpFixture::Response HttpFixture::Response::redirect(const QByteArray &location, int status)
{
    Response response = text(status);
    response.headers.append({ "Location", location });
    return response;
}

HttpFixture::Response &HttpFixture::Response::withHeader(
    const QByteArray &name, const QByteArray &value)
{
    headers.append({ name, value });
    return *this;
}

HttpFixture::HttpFixture(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    m_fallback = [](const Request &) { return Response::text(404, "no route\n"); };
    connect(m_server, &QTcpServer::newConnection, this, &HttpFixture::onNewConnection);
}

HttpFixture::~HttpFixture() = default;

bool HttpFixture::listen(const QHostAddress &address)
{
    return m_server->listen(address, 0);
}

quint16 HttpFixture::port() const
{
    return m_server->serverPort();
}

QUrl HttpFixture::url() const
{
    return QUrl(
        QStringLiteral("http://%1:%2").arg(m_server->serverAddress().toString()).arg(port()));
}

void HttpFixture::route(const QString &path, Handler handler)
{
    m_routes.insert(path, std::move(handler));
}

void HttpFixture::route(const QString &path, const Response &response)
{
    m_routes.insert(path, [response](const Request &) { return response; });
}

void HttpFixture::setFallback(Handler handler)
{
    m_fallback = std::move(handler);
}

QList<HttpFixture::Request> HttpFixture::requests(const QString &path) const
{
    QList<Request> matching;
    for (const Request &request : m_requests) {
        if (request.path == path)
            matching.append(request);
    }
    return matching;
}

QByteArray HttpFixture::fixture(const QString &relativePath)
{
    QFile file(QStringLiteral(SLUICE_FIXTURES "/") + relativePath);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("Cannot read fixture %s: %s", qPrintable(file.fileName()),
            qPrintable(file.errorString()));
        return {};
    }
    return file.readAll();
}

quint16 HttpFixture::unusedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

void HttpFixture::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        // No Nagle: a response's last small segment would otherwise wait for the client's
        // delayed ACK (40 ms a request on Linux loopback).
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_buffers.insert(socket, {});
        m_busy.insert(socket, false);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            m_buffers[socket] += socket->readAll();
            serveNext(socket);
        });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            m_busy.remove(socket);
            socket->deleteLater();
        });
    }
}

HttpFixture::Response HttpFixture::answer(const Request &request) const
{
    const auto route = m_routes.constFind(request.path);
    return route != m_routes.cend() ? (*route)(request) : m_fallback(request);
}

// Answers the next complete request buffered on socket, unless a response is still pending
// there (clients do not pipeline, but a delayed response must not be overtaken).
void HttpFixture::serveNext(QTcpSocket *socket)
{
    if (!m_buffers.contains(socket) || m_busy.value(socket))
        return;
    QByteArray &buffer = m_buffers[socket];
    if (buffer.startsWith('\x16')) { // a TLS handshake record: not HTTP
        ++m_tlsHandshakes;
        buffer.clear();
        m_busy[socket] = true;
        socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        socket->disconnectFromHost();
        return;
    }
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return;
    Request request = parseHead(buffer.left(headEnd));
    const qsizetype bodyLength = request.header("content-length").toLongLong();
    if (buffer.size() < headEnd + 4 + bodyLength)
        return;
    request.body = buffer.mid(headEnd + 4, bodyLength);
    buffer.remove(0, headEnd + 4 + bodyLength);

    m_requests.append(request);
    const bool keepAlive = request.header("connection").toLower() != "close";
    const Response response = answer(request);
    m_busy[socket] = true;
    Q_EMIT requestReceived(request.path);
    if (response.delayMs > 0) {
        QTimer::singleShot(response.delayMs, socket,
            [this, socket, response, keepAlive] { respond(socket, response, keepAlive); });
    } else {
        respond(socket, response, keepAlive);
    }
}

void HttpFixture::respond(QTcpSocket *socket, const Response &response, bool keepAlive)
{
    if (socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (response.dropConnection) {
        socket->abort();
        return;
    }
    const bool closeAfter = !keepAlive || response.truncateAt >= 0;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' '
        + (response.reason.isEmpty() ? standardReason(response.status) : response.reason) + "\r\n";
    head += "Content-Type: " + response.contentType + "\r\n";
    head += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
    for (const auto &[name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    if (closeAfter)
        head += "Connection: close\r\n";
    head += "\r\n";
    socket->write(head);

    const auto sendBody = [this, socket, response, closeAfter] {
        if (socket->state() != QAbstractSocket::ConnectedState)
            return;
        if (response.truncateAt >= 0)
            socket->write(response.body.left(response.truncateAt));
        else
            socket->write(response.body);
        if (closeAfter) {
            socket->disconnectFromHost(); // after the bytes written so far
            return;
        }
        m_busy[socket] = false;
        serveNext(socket);
    };
    if (response.bodyDelayMs > 0) {
        socket->flush();
        QTimer::singleShot(response.bodyDelayMs, socket, sendBody);
    } else {
        sendBody();
    }
}
