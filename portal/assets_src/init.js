// Start GOV.UK Frontend's components on pages that use them (character count, error summary
// focus, header menu). Pages work without it; this only enhances.
import { initAll } from './govuk-frontend.min.js'
initAll()
