// Search result snippets from the article only. Sphinx builds each snippet from the text of
// the page's [role="main"] block, which in this theme also holds the article header
// (colour-mode and download buttons: "System Settings Light Dark") and the page contents.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") return;
  const fallback = Search.htmlToText;
  const chrome = [".headerlink", "script", "style", ".bd-header-article",
    ".bd-sidebar-secondary", ".prev-next-area", ".bd-footer-article", ".theme-switch-button"];
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(chrome.join(", ")).forEach((element) => element.remove());
    const article = page.querySelector("article.bd-article");
    if (!article) return fallback(htmlString, anchor);
    const block = anchor ? article.querySelector(anchor) : null;
    return (block || article).textContent.replace(/\s+/g, " ");
  };
});
