import { AppContext, type AppState } from '../state';
import { Ballot } from './Ballot';
import { Delivery } from './Delivery';
import { Header } from './Header';
import { Loading, SlipError, UpdateBanner, Welcome } from './Notices';
import { CheckReceipt, Receipt } from './Receipt';
import { Review } from './Review';

/** The screen of the current view (the kiosk shows these too, with screens of its own around them). */
export function View({ state }: { state: AppState }) {
  const view = state.view.value;
  const model = state.ballot.value;
  if (view === 'ballot' && model) return <Ballot key={state.formIndex.value} model={model} />;
  if (view === 'review' && model) return <Review model={model} />;
  if (view === 'delivery' && model) return <Delivery model={model} />;
  if (view === 'receipt') return <Receipt />;
  if (view === 'check') return <CheckReceipt />;
  if (view === 'slipError') return <SlipError />;
  if (view === 'welcome') return <Welcome />;
  return <Loading />;
}

export function App({ state }: { state: AppState }) {
  return (
    <AppContext.Provider value={state}>
      <Header />
      <UpdateBanner />
      <main id="main" data-view={state.view.value}>
        <View state={state} />
      </main>
    </AppContext.Provider>
  );
}
