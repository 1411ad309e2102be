<?xml version="1.0" encoding="utf-8"?>
<!-- The Forward Plan's Atom feed as a page, for a resident who opens the feed link in a browser:
     a browser applies this stylesheet (named by the feed's xml-stylesheet instruction); a feed
     reader ignores it and reads the entries. No script, GOV.UK Frontend's own styles. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom"
                exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat" indent="yes"/>

  <xsl:template match="/atom:feed">
    <html lang="en-GB" dir="ltr" class="govuk-template govuk-template--rebranded">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> (news feed)</title>
        <link rel="stylesheet" href="/assets/govuk-frontend.min.css"/>
        <link rel="stylesheet" href="/assets/townhall.css"/>
      </head>
      <body class="govuk-template__body">
        <a href="#main-content" class="govuk-skip-link">Skip to main content</a>
        <header class="govuk-header" data-module="govuk-header">
          <div class="govuk-header__container govuk-width-container">
            <div class="govuk-header__content">
              <a href="/en-GB/" class="govuk-header__link govuk-header__service-name">Have your say</a>
            </div>
          </div>
        </header>
        <div class="govuk-width-container">
          <main class="govuk-main-wrapper" id="main-content">
            <div class="govuk-notification-banner" role="region" aria-labelledby="feed-banner-title">
              <div class="govuk-notification-banner__header">
                <h2 class="govuk-notification-banner__title" id="feed-banner-title">This is a news feed</h2>
              </div>
              <div class="govuk-notification-banner__content">
                <p class="govuk-notification-banner__heading">Copy the address of this page into a news feed reader to hear of new key decisions.</p>
                <p class="govuk-body">You can also read the <a class="govuk-notification-banner__link" href="/en-GB/forward-plan">Forward Plan as a web page</a>, in every language the council publishes in.</p>
              </div>
            </div>
            <span class="govuk-caption-l"><xsl:value-of select="atom:author/atom:name"/></span>
            <h1 class="govuk-heading-xl"><xsl:value-of select="atom:title"/></h1>
            <xsl:choose>
              <xsl:when test="atom:entry">
                <ul class="govuk-list">
                  <xsl:apply-templates select="atom:entry"/>
                </ul>
              </xsl:when>
              <xsl:otherwise>
                <p class="govuk-body">There are no key decisions on the Forward Plan.</p>
              </xsl:otherwise>
            </xsl:choose>
          </main>
        </div>
        <footer class="govuk-footer">
          <div class="govuk-width-container">
            <div class="govuk-footer__meta">
              <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
                <h2 class="govuk-visually-hidden">Support links</h2>
                <ul class="govuk-footer__inline-list">
                  <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/en-GB/accessibility">Accessibility statement</a></li>
                  <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/en-GB/privacy">Privacy notice</a></li>
                </ul>
              </div>
            </div>
          </div>
        </footer>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li class="govuk-!-margin-bottom-6">
      <h2 class="govuk-heading-m"><xsl:value-of select="atom:title"/></h2>
      <p class="govuk-body"><xsl:value-of select="atom:summary"/></p>
      <p class="govuk-body-s">Updated <time datetime="{atom:updated}"><xsl:value-of select="substring(atom:updated, 1, 10)"/></time></p>
    </li>
  </xsl:template>
</xsl:stylesheet>
