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
        if (fs.tagName === 'FIELDSET') fs.querySelectorAll('input,select,textarea').forEach((i) => { i.disabled = !on; });
      });
      // Fields hidden inside a shown group must not be sent either.
      document.querySelectorAll('.field[data-types]').forEach((f) => {
        const on = f.getAttribute('data-types').split(' ').includes(type.value) && !f.closest('fieldset').hidden;
        f.querySelectorAll('input,select,textarea').forEach((i) => { i.disabled = !on; });
      });
      document.querySelectorAll('[data-required-for]').forEach((r) => {
        r.hidden = !r.getAttribute('data-required-for').split(' ').includes(type.value);
      });
    };
    type.addEventListener('change', sync);
    sync();
  }
});
