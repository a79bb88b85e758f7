import { createHash } from 'node:crypto';

/** The pages' only style sheet: small enough to inline, mobile first (375 px and up), visible focus everywhere. */
export const pageStyle = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f4f5f7}
main{max-width:44rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.1rem;margin:0 0 .75rem}
p{margin:.5rem 0}
section,.card{background:#fff;border:1px solid #d5d9e0;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
.document{width:100%;height:70vh;min-height:22rem;border:1px solid #d5d9e0;border-radius:.25rem;background:#e9ebef}
.step{color:#4a5260;font-size:.9rem;text-transform:uppercase;letter-spacing:.04em;margin:0 0 .25rem}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input[type=text],textarea{width:100%;font:inherit;font-size:1.1rem;padding:.6rem .7rem;border:2px solid #6b7380;border-radius:.35rem;background:#fff}
input[name=code]{letter-spacing:.3em;max-width:12rem}
textarea{min-height:5rem;font-size:1rem}
.consent{display:flex;gap:.6rem;align-items:flex-start;font-weight:400;margin:.75rem 0}
.consent input{width:1.4rem;height:1.4rem;flex:none;margin:.1rem 0 0}
button,.button{display:inline-block;font:inherit;font-weight:600;font-size:1.05rem;padding:.7rem 1.2rem;margin:.5rem 0;border-radius:.35rem;border:2px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer;text-decoration:none;text-align:center;max-width:100%}
button.secondary,.button.secondary{background:#fff;color:#1d4ed8}
button.danger{background:#fff;color:#b42318;border-color:#b42318}
a{color:#1d4ed8}
.button+a{margin-left:1rem}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.flash{border-radius:.5rem;padding:.75rem 1rem;margin:0 0 1rem;border:2px solid}
.flash.info{background:#eef4ff;border-color:#1d4ed8}
.flash.success{background:#ecfdf3;border-color:#067647}
.flash.error{background:#fef3f2;border-color:#b42318}
.hint{color:#4a5260;font-size:.95rem}
details summary{cursor:pointer;font-weight:600;color:#b42318;padding:.25rem 0}
footer{color:#4a5260;font-size:.85rem;text-align:center;padding:1rem 0}
@media (max-width:30rem){main{padding:.5rem}.button+a{margin-left:0}.document{height:60vh;min-height:16rem}dl{grid-template-columns:1fr}dt{margin-top:.4rem}button,.button{width:100%}}
`;

/** Why: the CSP allows this exact style sheet by hash, so no inline style or script injected into a page can run. */
export const pageStyleHash = `'sha256-${createHash('sha256').update(pageStyle).digest('base64')}'`;
