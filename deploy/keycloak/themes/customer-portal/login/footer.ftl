<#-- Every page of the login theme ends with this footer (keycloak.v2's template.ftl includes it).

     Brand colour and logo: from the theme properties (Keycloak's environment, see theme.properties),
     used only when they have the expected shape, since they go into a style sheet unescaped.

     The links below the login form: each appears only when its realm attribute holds a URL. The
     identity service writes them from the directory's system options (requestLoginButton,
     selfRegistration) and clears them when an option is off; see services/identity/src/login-links.consumer.ts. -->
<#macro content>
  <#assign brandColor = (properties.portalPrimaryColor)!"">
  <#if brandColor?matches("#[0-9a-fA-F]{6}")>
    <style>:root { --cp-brand: ${brandColor?no_esc}; }</style>
  </#if>
  <#assign logoUrl = (properties.portalLogoUrl)!"">
  <#if logoUrl?matches("https?://[^\\s\"'()<>\\\\]+")>
    <style>#kc-header-wrapper::before { content: ""; display: block; height: 3rem; margin-bottom: 0.5rem; background: url("${logoUrl?no_esc}") center / contain no-repeat; }</style>
  </#if>
  <#assign requestAccessUrl = (realm.attributes["portalRequestAccessUrl"])!"">
  <#assign registerUrl = (realm.attributes["portalRegisterUrl"])!"">
  <#if (pageId!"") == "login" && (requestAccessUrl?has_content || registerUrl?has_content)>
    <nav id="cp-login-links" class="cp-login-links" aria-label="${msg("customerPortalNoLogin")}">
      <span class="cp-login-links__lead">${msg("customerPortalNoLogin")}</span>
      <#if requestAccessUrl?has_content>
        <a id="cp-request-access" href="${requestAccessUrl}">${msg("customerPortalRequestAccess")}</a>
      </#if>
      <#if registerUrl?has_content>
        <a id="cp-register" href="${registerUrl}">${msg("customerPortalRegister")}</a>
      </#if>
    </nav>
  </#if>
</#macro>
