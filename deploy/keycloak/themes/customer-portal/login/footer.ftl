<#-- The links below the login form. Each appears only when its realm attribute holds a URL: the
     identity service writes them from the directory's system options (requestLoginButton,
     selfRegistration) and clears them when an option is off; see services/identity/src/login-links.ts. -->
<#macro content>
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
