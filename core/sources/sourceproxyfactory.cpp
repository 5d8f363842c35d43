#include "sources/sourceproxyfactory.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QProcessEnvironment>

namespace Sluice {

namespace {

    const char *const environmentNames[] = { "https_proxy", "HTTPS_PROXY", "http_proxy",
        "HTTP_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY" };

    // "host:3128" in a variable means http://host:3128, as curl reads it.
    QUrl proxyUrlFromText(const QString &text)
    {
        const QString trimmed = text.trimmed();
        if (trimmed.contains(QLatin1String("://")))
            return QUrl(trimmed);
        return QUrl(QStringLiteral("http://") + trimmed);
    }

} // namespace

SourceProxyFactory::SourceProxyFactory(const QUrl &configured, QMap<QString, QString> environment)
    : m_configured(configured)
    , m_environment(std::move(environment))
{
    if (m_environment.isEmpty()) {
        const QProcessEnvironment process = QProcessEnvironment::systemEnvironment();
        for (const char *name : environmentNames) {
            const QString key = QString::fromLatin1(name);
            if (process.contains(key))
                m_environment.insert(key, process.value(key));
        }
    }
}

QList<QNetworkProxy> SourceProxyFactory::queryProxy(const QNetworkProxyQuery &query)
{
    QUrl url = query.url();
    if (url.host().isEmpty())
        url.setHost(query.peerHostName());
    const Result<QNetworkProxy> proxy = proxyFor(url);
    if (proxy)
        return { *proxy };
    // HttpFetcher reports an unusable proxy URL before it sends anything; should a request get
    // here anyway, fail closed instead of connecting directly where the user asked for a proxy.
    return { QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("unusable-proxy.invalid"), 9) };
}

Result<QNetworkProxy> SourceProxyFactory::proxyFor(const QUrl &url) const
{
    const QNetworkProxy none(QNetworkProxy::NoProxy);
    if (isLoopback(url.host()))
        return none;
    if (!m_configured.isEmpty())
        return proxyFromUrl(m_configured);
    if (isExcluded(url.host()))
        return none;
    QString text;
    if (url.scheme() == QLatin1String("https"))
        text = environmentValue("https_proxy", "HTTPS_PROXY");
    else if (url.scheme() == QLatin1String("http"))
        text = environmentValue("http_proxy", "HTTP_PROXY");
    if (text.isEmpty())
        text = environmentValue("all_proxy", "ALL_PROXY");
    if (text.isEmpty())
        return none;
    return proxyFromUrl(proxyUrlFromText(text));
}

Result<QNetworkProxy> SourceProxyFactory::proxyFromUrl(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    QNetworkProxy::ProxyType type = QNetworkProxy::HttpProxy;
    if (scheme == QLatin1String("socks5") || scheme == QLatin1String("socks5h"))
        type = QNetworkProxy::Socks5Proxy;
    else if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return Error{ QCoreApplication::translate("Sluice::SourceProxyFactory",
                          "unsupported proxy scheme \"%1\" (use http:// or socks5://)")
                          .arg(scheme),
            url.toDisplayString() };
    if (!url.isValid() || url.host().isEmpty())
        return Error{ QCoreApplication::translate(
                          "Sluice::SourceProxyFactory", "the proxy URL has no host"),
            url.toDisplayString() };
    QNetworkProxy proxy(type, url.host(), quint16(url.port(1080)), url.userName(), url.password());
    return proxy;
}

bool SourceProxyFactory::isLoopback(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0
        || host.endsWith(QLatin1String(".localhost"), Qt::CaseInsensitive))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString SourceProxyFactory::environmentValue(const char *lower, const char *upper) const
{
    const QString value = m_environment.value(QString::fromLatin1(lower));
    if (!value.trimmed().isEmpty())
        return value.trimmed();
    return m_environment.value(QString::fromLatin1(upper)).trimmed();
}

// no_proxy: comma-separated host names (matching the host and its subdomains, a leading dot
// allowed), IP addresses, or "*" for every host; ports are ignored.
bool SourceProxyFactory::isExcluded(const QString &host) const
{
    const QString list = environmentValue("no_proxy", "NO_PROXY");
    const QString lowerHost = host.toLower();
    for (QString entry : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        entry = entry.trimmed().toLower();
        if (entry == QLatin1String("*"))
            return true;
        if (!entry.startsWith(QLatin1Char('[')) && entry.count(QLatin1Char(':')) == 1)
            entry = entry.section(QLatin1Char(':'), 0, 0);
        if (entry.startsWith(QLatin1Char('.')))
            entry.remove(0, 1);
        if (entry.isEmpty())
            continue;
        if (lowerHost == entry || lowerHost.endsWith(QLatin1Char('.') + entry))
            return true;
    }
    return false;
}

} // namespace Sluice
