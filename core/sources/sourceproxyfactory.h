#pragma once

// Chooses the proxy of each source request: none for a loopback host, else the configured
// proxy URL (Settings "sources.proxy"), else https_proxy / http_proxy / all_proxy from the
// environment, honouring no_proxy. Installed on a QNetworkAccessManager, which owns it and asks
// it on that manager's thread.

#include <QList>
#include <QMap>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QString>
#include <QUrl>

#include "engine/result.h"

namespace Sluice {

class SourceProxyFactory : public QNetworkProxyFactory
{
public:
    // environment: variable name -> value; empty reads the process environment now.
    explicit SourceProxyFactory(const QUrl &configured, QMap<QString, QString> environment = {});

    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery &query) override;

    // The proxy for one URL, as queryProxy() answers it; an Error when the proxy URL to use
    // is unusable (an unsupported scheme, no host).
    Result<QNetworkProxy> proxyFor(const QUrl &url) const;

    // A proxy from a URL such as http://user:pass@host:3128 or socks5://host:1080 (port 1080
    // when none is given, as curl does). Other schemes are an Error naming the URL.
    static Result<QNetworkProxy> proxyFromUrl(const QUrl &url);
    // Whether host is localhost or a loopback address (127.0.0.0/8, ::1).
    static bool isLoopback(const QString &host);

private:
    QString environmentValue(const char *lower, const char *upper) const;
    bool isExcluded(const QString &host) const;

    QUrl m_configured;
    QMap<QString, QString> m_environment;
};

} // namespace Sluice
