<#-- Every HTML e-mail of this theme: a plain card with the product name (the realm's display name).
     Styles are inline: mail clients drop <style>. The brand colour is used only when it is one. -->
<#macro emailLayout>
<#assign brandColor = ((properties.portalPrimaryColor)!"")?matches("#[0-9a-fA-F]{6}")?then(properties.portalPrimaryColor, "#1f4e79")>
<html lang="${locale.language}" dir="${(ltr)?then('ltr','rtl')}">
<body style="margin:0;padding:24px;background:#eef2f6;font-family:Arial,Helvetica,sans-serif;color:#1b1d21;">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;margin:0 auto;background:#ffffff;border-top:4px solid ${brandColor};border-radius:6px;">
    <tr><td style="padding:20px 28px 0;font-size:20px;font-weight:bold;color:#163a5a;">${realmName}</td></tr>
    <tr><td style="padding:8px 28px 24px;font-size:15px;line-height:1.5;">
      <#nested>
    </td></tr>
  </table>
</body>
</html>
</#macro>
