// The Leaflet map of /locaties/ and of a location's page. Supplementary: the table (list page)
// and the address (detail page) carry the same information for everyone.
//
// Data comes from two json_script elements (CSP-safe, no inline script):
//   #location-map-config  tile URL and attribution, Leaflet's image path, start centre, labels;
//   #location-map-data    the markers; on the list page it sits inside the htmx results, so
//                         after each swap the fresh markers are read and drawn.
// Leaflet sets positions through element.style (CSSOM), which style-src 'self' allows.
(() => {
  "use strict";

  let map = null;
  let markers = null;

  function readJson(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  // Popup content built as DOM nodes, never as an HTML string (names are user data).
  function popupContent(marker, labels) {
    const box = document.createElement("div");
    box.className = "app-map-popup";
    const title = document.createElement(marker.url ? "a" : "strong");
    title.className = marker.url ? "ams-link app-map-popup__title" : "app-map-popup__title";
    title.textContent = marker.name;
    if (marker.url) title.href = marker.url;
    const level = document.createElement("span");
    level.textContent = `${labels.safetyLevel}: ${marker.level}`;
    const address = document.createElement("span");
    address.textContent = marker.address;
    box.append(title, level, address);
    return box;
  }

  // Leaflet draws into a child created here, not into #location-map itself: when htmx restores
  // the page from history it copies the attributes of old elements onto new ones with the same
  // id ("settling"), and Leaflet's inline style attribute copied that way is blocked by the CSP.
  function createMap(wrapper, config) {
    const canvas = document.createElement("div");
    canvas.className = "app-location-map__canvas";
    wrapper.replaceChildren(canvas);
    L.Icon.Default.imagePath = config.imagePath;
    const created = L.map(canvas, { zoomControl: false, scrollWheelZoom: false });
    L.control
      .zoom({ zoomInTitle: config.labels.zoomIn, zoomOutTitle: config.labels.zoomOut })
      .addTo(created);
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(
        created,
      );
    }
    // Gebied names at their centres: orientation when there is no background layer.
    for (const gebied of config.gebieden || []) {
      const label = document.createElement("span");
      label.textContent = gebied.name;
      L.marker([gebied.lat, gebied.lng], {
        icon: L.divIcon({ className: "app-map-gebied", html: label, iconSize: null }),
        interactive: false,
        keyboard: false,
        zIndexOffset: -1000,
      }).addTo(created);
    }
    markers = L.featureGroup().addTo(created);
    // Leaflet's popup close button is labelled in English; name it in the page's language.
    created.on("popupopen", (event) => {
      const close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) close.setAttribute("aria-label", config.labels.close);
    });
    return created;
  }

  function render() {
    const wrapper = document.getElementById("location-map");
    const config = readJson("location-map-config");
    const data = readJson("location-map-data");
    if (!wrapper || !config || !data || typeof L === "undefined") return;
    if (map && !wrapper.contains(map.getContainer())) {
      // The page was replaced (Back, restored from the server): start again in the new one.
      map.remove();
      map = null;
    }
    if (!map) map = createMap(wrapper, config);
    markers.clearLayers();
    for (const item of data) {
      L.marker([item.lat, item.lng], { alt: item.name, title: item.name })
        .bindPopup(() => popupContent(item, config.labels))
        .addTo(markers);
    }
    if (data.length) {
      map.fitBounds(markers.getBounds(), { padding: [40, 40], maxZoom: 15 });
    } else {
      map.setView(config.centre, 13);
    }
  }

  // Shareable, readable addresses: leave empty filters out of the query string htmx builds.
  document.addEventListener("htmx:configRequest", (event) => {
    if (!event.detail.elt.closest("[data-drop-empty-params]")) return;
    const formData = event.detail.formData;
    for (const [name, value] of Array.from(formData.entries())) {
      if (value === "") formData.delete(name);
    }
  });

  document.addEventListener("DOMContentLoaded", render);
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target && event.detail.target.id === "location-results") render();
  });
  document.addEventListener("htmx:historyRestore", render);
})();
