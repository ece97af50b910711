// Focus management after htmx swaps, so keyboard and screen-reader users land on what changed.
// A swapped fragment may mark the element to focus with `data-focus-after-swap`
// (an error summary, a confirmation, a result heading); the swap target is announced via
// aria-live where the template declares it.
document.addEventListener("htmx:afterSettle", (event) => {
  const target = event.detail.elt;
  if (!(target instanceof Element)) return;
  const focusTarget = target.matches("[data-focus-after-swap]")
    ? target
    : target.querySelector("[data-focus-after-swap]");
  if (focusTarget instanceof HTMLElement) {
    if (!focusTarget.hasAttribute("tabindex")) focusTarget.setAttribute("tabindex", "-1");
    focusTarget.focus();
  }
});
