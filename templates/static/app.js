// Small progressive enhancements; every page works without this file.
document.addEventListener('DOMContentLoaded', () => {
  // Ask before irreversible actions (deaccession, revoke) on buttons that declare it.
  document.querySelectorAll('[data-confirm]').forEach((el) => {
    el.addEventListener('click', (ev) => {
      if (!window.confirm(el.getAttribute('data-confirm'))) ev.preventDefault();
    });
  });
  // The accession form shows only the fieldsets for the chosen material type.
  const type = document.getElementById('f-material_type');
  if (type) {
    const sync = () => {
      document.querySelectorAll('[data-types]').forEach((fs) => {
        const on = fs.getAttribute('data-types').split(' ').includes(type.value);
        fs.hidden = !on;
        fs.querySelectorAll('input,select,textarea').forEach((i) => { i.disabled = !on; });
      });
    };
    type.addEventListener('change', sync);
    sync();
  }
});
