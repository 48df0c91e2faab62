/** The top bar's sparkline: availability over the last two minutes, with the 95% line. */

export function drawSpark(c: HTMLCanvasElement, values: number[]): void {
  const g = c.getContext("2d")!;
  g.clearRect(0, 0, c.width, c.height);
  g.strokeStyle = "#2c3846";
  g.beginPath();
  const y95 = c.height - 0.95 * (c.height - 4) - 2;
  g.moveTo(0, y95);
  g.lineTo(c.width, y95);
  g.stroke();
  g.strokeStyle = "#56b4e9";
  g.lineWidth = 2;
  g.beginPath();
  values.forEach((v, i) => {
    const x = (i / Math.max(1, values.length - 1)) * c.width;
    const y = c.height - v * (c.height - 4) - 2;
    if (i === 0) g.moveTo(x, y);
    else g.lineTo(x, y);
  });
  g.stroke();
}
