// "In hướng dẫn" on the kiosk: load the 80 mm slip in a hidden frame and print it there, so the
// citizen stays on the procedure page. The slip page prints itself when loaded with tu_dong=1.
export function startSlipPrinting(root) {
  for (const button of root.querySelectorAll("[data-print-slip]")) {
    button.addEventListener("click", () => {
      document.querySelector("iframe.print-frame")?.remove();
      const frame = document.createElement("iframe");
      frame.className = "print-frame";
      frame.title = "print";
      frame.style.cssText = "position:fixed;width:0;height:0;border:0;right:0;bottom:0";
      frame.src = button.dataset.printSlip;
      document.body.append(frame);
      const status = document.querySelector("[data-print-status]");
      if (status) status.hidden = false;
    });
  }
}
